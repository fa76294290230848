namespace MemoryContracts.Tests.AspNetCore;

/// <summary>A shed 429's Retry-After: retry_after_seconds plus 0 to a fifth of it, in whole seconds (docs/shedding.md).</summary>
public sealed class RetryAfterJitterTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void NextRetryAfter_UnderFiveSeconds_HasNoJitter(int seconds)
    {
        var map = Map(seconds);

        var values = Enumerable.Range(0, 200).Select(_ => map.NextRetryAfter()).Distinct().ToList();

        Assert.Equal([seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)], values);
    }

    [Theory]
    [InlineData(5, new[] { "5", "6" })]
    [InlineData(9, new[] { "9", "10" })]
    [InlineData(10, new[] { "10", "11", "12" })]
    public void NextRetryAfter_FiveSecondsOrMore_AddsUpToAFifthInWholeSeconds(int seconds, string[] expected)
    {
        var map = Map(seconds);

        var values = Enumerable.Range(0, 600).Select(_ => map.NextRetryAfter()).Distinct().Order(StringComparer.Ordinal).ToList();

        Assert.Equal(expected.Order(StringComparer.Ordinal), values);
    }

    private static EndpointModuleMap Map(int retryAfterSeconds) => new(TestApp.Contract(retryAfterSeconds: retryAfterSeconds));
}
