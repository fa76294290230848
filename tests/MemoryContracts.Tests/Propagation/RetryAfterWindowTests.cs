using System.Net.Http.Headers;

namespace MemoryContracts.Tests.Propagation;

public class RetryAfterWindowTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);

    [Theory]
    [InlineData("2", 2)]
    [InlineData("0", 1)]
    [InlineData("1", 1)]
    [InlineData("300", 300)]
    [InlineData("301", 300)]
    [InlineData("86400", 300)]
    public void From_DeltaSeconds_IsClamped(string header, int expectedSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), RetryAfterWindow.From(RetryConditionHeaderValue.Parse(header), Now));
    }

    [Fact]
    public void From_HttpDate_IsRelativeToNow()
    {
        var value = RetryConditionHeaderValue.Parse(Now.AddSeconds(42).ToString("r"));
        Assert.Equal(TimeSpan.FromSeconds(42), RetryAfterWindow.From(value, Now));
    }

    [Fact]
    public void From_HttpDateInPastOrFarFuture_IsClamped()
    {
        Assert.Equal(RetryAfterWindow.Min, RetryAfterWindow.From(RetryConditionHeaderValue.Parse(Now.AddMinutes(-5).ToString("r")), Now));
        Assert.Equal(RetryAfterWindow.Max, RetryAfterWindow.From(RetryConditionHeaderValue.Parse("Wed, 21 Oct 2099 07:28:00 GMT"), Now));
    }

    [Fact]
    public void From_Absent_IsFiveSeconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), RetryAfterWindow.From(null, Now));
    }
}
