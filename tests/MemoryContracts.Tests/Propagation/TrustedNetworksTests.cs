using System.Net;

namespace MemoryContracts.Tests.Propagation;

public class TrustedNetworksTests
{
    private static readonly TrustedNetworks Default = TrustedNetworks.Parse(new PropagationPolicy().TrustedNetworks);

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("10.20.30.40")]
    [InlineData("::ffff:10.20.30.40")]
    [InlineData("172.20.0.1")]
    [InlineData("192.168.1.1")]
    [InlineData("fd12:3456::1")]
    public void Contains_TrustedAddress_ReturnsTrue(string address)
    {
        Assert.True(Default.Contains(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("2001:db8::1")]
    [InlineData("fe80::1")]
    public void Contains_OtherAddress_ReturnsFalse(string address)
    {
        Assert.False(Default.Contains(IPAddress.Parse(address)));
    }

    [Fact]
    public void Contains_NullAddress_ReturnsFalse()
    {
        Assert.False(Default.Contains(null));
    }

    [Fact]
    public void Parse_SingleAddressNetworks_TrustThatAddressOnly()
    {
        var networks = TrustedNetworks.Parse(["10.1.2.3/32", "fd00::7/128"]);
        Assert.True(networks.Contains(IPAddress.Parse("10.1.2.3")));
        Assert.True(networks.Contains(IPAddress.Parse("::ffff:10.1.2.3")));
        Assert.False(networks.Contains(IPAddress.Parse("10.1.2.4")));
        Assert.True(networks.Contains(IPAddress.Parse("fd00::7")));
        Assert.False(networks.Contains(IPAddress.Parse("127.0.0.1")));
    }

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("not-a-network")]
    [InlineData("")]
    [InlineData("10.0.0.0/")]
    [InlineData("12345")]
    [InlineData("10.1.2.3")]
    [InlineData("10.0.0.1/8")]
    public void Parse_BadEntry_ThrowsNamingKey(string entry)
    {
        var ex = Assert.Throws<MemoryContractException>(() => TrustedNetworks.Parse([entry]));
        Assert.Equal("propagation.trusted_networks", ex.Key);
    }

    [Theory]
    [InlineData("0.0.0.0/0", "::ffff:203.0.113.9")]
    [InlineData("0.0.0.0/0", "203.0.113.9")]
    [InlineData("10.1.2.3/32", "::ffff:10.1.2.3")]
    public void Contains_IPv4NetworkAndIPv4MappedPeer_ReturnsTrue(string network, string address)
    {
        var networks = TrustedNetworks.Parse([network]);

        Assert.True(networks.Contains(IPAddress.Parse(address)));
    }

    [Fact]
    public void Contains_IPv4MappedPeerOutsideTheNetwork_ReturnsFalse() =>
        Assert.False(TrustedNetworks.Parse(["10.0.0.0/8"]).Contains(IPAddress.Parse("::ffff:11.0.0.1")));
}
