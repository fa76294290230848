namespace MemoryContracts.Tests.Backoff;

/// <summary>The refusal probability of client-side adaptive throttling: max(0, (R − K·A) / (R + 1)), at most 0.9.</summary>
public sealed class AdaptiveThrottlingTests
{
    [Theory]
    [InlineData(0, 0, 2, 0)]
    [InlineData(100, 50, 2, 0)]
    [InlineData(100, 67, 2, 0)]
    [InlineData(100, 40, 2, 0.198)]
    [InlineData(100, 40, 3, 0)]
    [InlineData(100, 40, 1, 0.594)]
    [InlineData(1, 0, 2, 0.5)]
    [InlineData(9, 0, 2, 0.9)]
    [InlineData(1000, 0, 2, 0.9)]
    [InlineData(100, 10, 2, 0.792)]
    public void RefusalProbability_Counts_FollowsTheFormulaUpToTheCeiling(long requests, long accepts, double k, double expected)
    {
        Assert.Equal(expected, AdaptiveThrottling.RefusalProbability(requests, accepts, k), 3);
    }

    [Fact]
    public void RefusalProbability_OneShedderOfThree_IsZeroForAnyWindowSize()
    {
        for (long requests = 3; requests <= 30_000; requests *= 10)
        {
            Assert.Equal(0, AdaptiveThrottling.RefusalProbability(requests, requests * 2 / 3, 2));
        }
    }
}
