namespace MemoryContracts.Tests.AspNetCore;

public sealed class ShedCreditTests
{
    [Theory]
    [InlineData(0.3, 1000, 300)]
    [InlineData(0.5, 1000, 500)]
    [InlineData(0.01, 1000, 10)]
    [InlineData(0.999, 1000, 999)]
    public void ShouldShed_Fraction_ShedsExactlyThatShare(double fraction, int requests, int expected)
    {
        var credit = new ShedCredit();

        var shed = Enumerable.Range(0, requests).Count(_ => credit.ShouldShed(fraction));

        Assert.InRange(shed, expected - 1, expected);
    }

    [Fact]
    public void ShouldShed_OneOrMore_ShedsEvery_ZeroOrNaN_ShedsNone()
    {
        var credit = new ShedCredit();

        Assert.All(Enumerable.Range(0, 10), _ => Assert.True(credit.ShouldShed(1)));
        Assert.True(credit.ShouldShed(1.5));
        Assert.False(credit.ShouldShed(0));
        Assert.False(credit.ShouldShed(double.NaN));
        Assert.False(credit.ShouldShed(-1));
    }

    [Fact]
    public async Task ShouldShed_ConcurrentCallers_StillExact()
    {
        var credit = new ShedCredit();
        var shed = 0;

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 25_000; i++)
            {
                if (credit.ShouldShed(0.25))
                {
                    Interlocked.Increment(ref shed);
                }
            }
        })));

        Assert.Equal(25_000, shed);
    }
}
