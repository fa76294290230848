using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace MemoryContracts.Yarp.Tests.Parsing;

public sealed class RetryAfterParserTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2025-01-01T00:00:00Z", CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("2", 2)]
    [InlineData(" 7 ", 7)]
    [InlineData("0", 1)]
    [InlineData("299", 299)]
    [InlineData("3600", 300)]
    [InlineData("9999999999", 300)]
    public void TryParse_DeltaSeconds_ClampedWindow(string value, int expectedSeconds)
    {
        Assert.True(RetryAfterParser.TryParse(value, Now, out var window));

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), window);
    }

    [Theory]
    [InlineData("Wed, 01 Jan 2025 00:00:30 GMT", 30)]
    [InlineData("Wednesday, 01-Jan-25 00:00:30 GMT", 30)]
    [InlineData("Wed Jan  1 00:00:30 2025", 30)]
    [InlineData("Tue, 31 Dec 2024 23:00:00 GMT", 1)]
    [InlineData("Thu, 02 Jan 2025 00:00:00 GMT", 300)]
    public void TryParse_HttpDate_WindowFromNowClamped(string value, int expectedSeconds)
    {
        Assert.True(RetryAfterParser.TryParse(value, Now, out var window));

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), window);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("soon")]
    [InlineData("-1")]
    [InlineData("+5")]
    [InlineData("2.5")]
    [InlineData("1e3")]
    [InlineData("5s")]
    [InlineData("12345678901")]
    [InlineData("2025-01-01T00:00:30Z")]
    [InlineData("Wed, 01 Jan 2025 00:00:30 UTC")]
    [InlineData("Wed, 32 Jan 2025 00:00:30 GMT")]
    public void TryParse_Malformed_ReturnsFalse(string value) =>
        Assert.False(RetryAfterParser.TryParse(value, Now, out _));

    [Fact]
    public void TryParse_AbsentOrRepeated_ReturnsFalse()
    {
        Assert.False(RetryAfterParser.TryParse(StringValues.Empty, Now, out _));
        Assert.False(RetryAfterParser.TryParse(new StringValues(["2", "3"]), Now, out _));
    }
}
