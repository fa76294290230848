namespace MemoryContracts.Tests.Propagation;

public class OutboundHostMatcherTests
{
    private static readonly OutboundHostMatcher Default = OutboundHostMatcher.Create(new PropagationPolicy().OutboundHosts);

    [Theory]
    [InlineData("localhost")]
    [InlineData("LOCALHOST")]
    [InlineData("inventory")]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("10.1.2.3")]
    [InlineData("192.168.0.1")]
    [InlineData("172.16.5.4")]
    [InlineData("172.31.255.255")]
    [InlineData("[::1]")]
    [InlineData("::1")]
    [InlineData("[fd00::1]")]
    [InlineData("fc00::5")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("orders.internal")]
    [InlineData("Orders.Internal.")]
    [InlineData("printer.local")]
    [InlineData("inventory.shop.svc")]
    [InlineData("a.b.svc.cluster.local")]
    public void IsAllowed_InternalHost_ReturnsTrue(string host)
    {
        Assert.True(Default.IsAllowed(host));
    }

    [Theory]
    [InlineData("api.example.com")]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("172.32.0.1")]
    [InlineData("172.15.0.1")]
    [InlineData("192.169.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("[2001:4860:4860::8888]")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("[fe80::1]")]
    [InlineData("evil.internal.example.com")]
    [InlineData("internal.evil.com")]
    [InlineData("xinternal.com")]
    [InlineData("inventory.")]
    [InlineData(".internal")]
    [InlineData("svc.cluster.local.evil.com")]
    [InlineData("")]
    [InlineData(".")]
    [InlineData(null)]
    public void IsAllowed_OtherHost_ReturnsFalse(string? host)
    {
        Assert.False(Default.IsAllowed(host));
    }

    [Fact]
    public void IsAllowed_ExactNameAndIpLiteralPattern_Match()
    {
        var matcher = OutboundHostMatcher.Create(["api.partner.example", "203.0.113.7"]);
        Assert.True(matcher.IsAllowed("API.partner.example"));
        Assert.True(matcher.IsAllowed("203.0.113.7"));
        Assert.False(matcher.IsAllowed("x.api.partner.example"));
        Assert.False(matcher.IsAllowed("203.0.113.8"));

        // Without the default patterns, *.internal is no longer allowed, but single labels and private literals still are.
        Assert.False(matcher.IsAllowed("orders.internal"));
        Assert.True(matcher.IsAllowed("inventory"));
        Assert.True(matcher.IsAllowed("10.0.0.1"));
    }

    [Fact]
    public void IsAllowed_Ipv6PatternNotInCanonicalForm_MatchesTheUriHost()
    {
        var matcher = OutboundHostMatcher.Create(["2001:DB8:0::7"]);

        Assert.True(matcher.IsAllowed(new Uri("http://[2001:db8::7]:8080/").IdnHost));
        Assert.False(matcher.IsAllowed(new Uri("http://[2001:db8::8]/").IdnHost));
    }

    [Theory]
    [InlineData("metadata.google.internal")]
    [InlineData("METADATA.Google.Internal")]
    [InlineData("metadata.google.internal.")]
    [InlineData("metadata.azure.com")]
    [InlineData("Metadata.Azure.Com.")]
    [InlineData("metadata")]
    [InlineData("METADATA")]
    [InlineData("metadata.")]
    [InlineData("169.254.169.254")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("[::ffff:169.254.169.254]")]
    [InlineData("fd00:ec2::254")]
    [InlineData("[fd00:ec2::254]")]
    [InlineData("[fd00:ec2:0::254]")]
    [InlineData("FD00:EC2:0:0:0:0:0:254")]
    [InlineData("2852039166")]
    [InlineData("0xA9FEA9FE")]
    [InlineData("169.254.43518")]
    [InlineData("0251.0376.0251.0376")]
    public void IsAllowed_CloudMetadataHost_ReturnsFalse(string host)
    {
        Assert.False(Default.IsAllowed(host));
    }

    [Theory]
    [InlineData("metadata.google.internal")]
    [InlineData("metadata.google.internal.")]
    [InlineData("metadata")]
    [InlineData("metadata.azure.com")]
    [InlineData("169.254.169.254")]
    [InlineData("[fd00:ec2::254]")]
    [InlineData("fd00:ec2:0::254")]
    public void IsAllowed_CloudMetadataHostListedByTheContract_ReturnsFalse(string host)
    {
        var matcher = OutboundHostMatcher.Create(
            ["metadata.google.internal", "metadata", "METADATA.azure.com", "169.254.169.254", "FD00:EC2:0::254", "*.google.internal", "*.azure.com"]);

        Assert.False(matcher.IsAllowed(host));
    }

    [Fact]
    public void Create_CloudMetadataEntries_AreReportedAndTheirNeighboursStillMatch()
    {
        var matcher = OutboundHostMatcher.Create(
            ["metadata.google.internal", "Metadata", "metadata.azure.com", "169.254.169.254", "fd00:ec2:0::254", "*.google.internal", "169.254.169.253", "inventory.azure.com"]);

        Assert.Equal(["metadata.google.internal", "Metadata", "metadata.azure.com", "169.254.169.254", "fd00:ec2:0::254"], matcher.MetadataEntries);
        Assert.True(matcher.IsAllowed("compute.google.internal"));
        Assert.True(matcher.IsAllowed("169.254.169.253"));
        Assert.True(matcher.IsAllowed("inventory.azure.com"));
        Assert.True(matcher.IsAllowed("[fd00:ec2::253]"));
        Assert.True(matcher.IsAllowed("metadata-cache"));
        Assert.Empty(Default.MetadataEntries);
    }

    [Theory]
    [InlineData("0x7f.1", true)]
    [InlineData("2130706433", true)]
    [InlineData("12345", false)]
    [InlineData("1password", true)]
    public void IsAllowed_NumericHost_ReadAsTheResolverReadsIt(string host, bool allowed)
    {
        // 0x7f.1 and 2130706433 are 127.0.0.1; 12345 is 0.0.48.57, a public address; 1password is a name.
        Assert.Equal(allowed, Default.IsAllowed(host));
    }

    [Fact]
    public void IsAllowed_IpPatternAnySpelling_MatchesByValue()
    {
        var matcher = OutboundHostMatcher.Create(["2001:db8::7", "203.0.113.7"]);

        Assert.True(matcher.IsAllowed("[2001:DB8:0:0::7]"));
        Assert.True(matcher.IsAllowed("::ffff:203.0.113.7"));
        Assert.False(matcher.IsAllowed("2001:db8::8"));
    }

    [Theory]
    [InlineData("*")]
    [InlineData("*.")]
    [InlineData("api.*.com")]
    [InlineData("*.*.internal")]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("api.internal.")]
    public void Create_BadPattern_ThrowsNamingKey(string pattern)
    {
        var ex = Assert.Throws<MemoryContractException>(() => OutboundHostMatcher.Create([pattern]));
        Assert.Equal("propagation.outbound_hosts", ex.Key);
        Assert.Contains("is not a host pattern", ex.Message, StringComparison.Ordinal);
    }
}
