namespace MemoryContracts.Tests.Contracts;

public sealed class HostPatternTests
{
    [Theory]
    [InlineData("inventory", "inventory", false)]
    [InlineData("api.internal", "api.internal", false)]
    [InlineData("*.svc.cluster.local", ".svc.cluster.local", true)]
    [InlineData("10.1.2.3", "10.1.2.3", false)]
    [InlineData("FD00:0::1", "fd00::1", false)]
    [InlineData("[::1]", "::1", false)]
    public void TryParse_HostPattern_ReturnsWhatToMatch(string text, string host, bool isSuffix)
    {
        Assert.True(HostPattern.TryParse(text, out var parsed, out var suffix, out var reason));
        Assert.Equal(host, parsed);
        Assert.Equal(isSuffix, suffix);
        Assert.Empty(reason);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("*")]
    [InlineData("*.")]
    [InlineData("api.*.com")]
    [InlineData("*.*.internal")]
    [InlineData(" api.internal")]
    [InlineData("api.internal.")]
    [InlineData("-api.internal")]
    [InlineData("api_internal")]
    [InlineData("fe80::1%eth0")]
    public void TryParse_NotAHostPattern_FailsSayingWhatIsExpected(string? text)
    {
        Assert.False(HostPattern.TryParse(text, out var host, out var suffix, out var reason));
        Assert.Empty(host);
        Assert.False(suffix);
        Assert.Contains("is not a host pattern", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_LongerThan253_Fails()
    {
        var text = string.Join('.', Enumerable.Repeat(new string('a', 63), 4)); // 255 characters

        Assert.False(HostPattern.TryParse(text, out _, out _, out var reason));
        Assert.Contains("is not a host pattern", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("inventory")]
    [InlineData("*.internal")]
    [InlineData("10.1.2.3")]
    [InlineData("*")]
    [InlineData("api.internal.")]
    [InlineData("api.*.com")]
    [InlineData("")]
    public void Validator_AndOutboundMatcher_AcceptTheSameEntries(string pattern)
    {
        var contract = new MemoryContract { Propagation = new() { OutboundHosts = [pattern] }, Modules = [new ModuleContract { Name = "a" }] };
        var validatorAccepts = Record.Exception(() => MemoryContractValidator.Validate(contract)) is null;
        var matcherAccepts = Record.Exception(() => OutboundHostMatcher.Create([pattern])) is null;

        Assert.Equal(validatorAccepts, matcherAccepts);
        Assert.Equal(HostPattern.TryParse(pattern, out _, out _, out _), matcherAccepts);
    }
}
