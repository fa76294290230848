using System.Net;
using CsCheck;

namespace MemoryContracts.Tests.Propagation;

/// <summary>
/// The allocation-free IPv4 path: a dotted quad read into a number and checked against the trusted
/// networks as numbers (as an IPv4 <see cref="IPAddress"/> is too) must decide exactly as
/// <see cref="IPNetwork.Contains"/> does, and as the IPv4-mapped IPv6 form of the address does.
/// </summary>
public sealed class ForwardedIPv4Tests
{
    [Theory]
    [InlineData("0.0.0.0", 0u)]
    [InlineData("10.1.2.3", 0x0A010203u)]
    [InlineData("255.255.255.255", 0xFFFFFFFFu)]
    [InlineData("192.168.0.10", 0xC0A8000Au)]
    public void TryParseDottedQuad_Address_ReadsItMostSignificantPartFirst(string text, uint expected)
    {
        Assert.True(ForwardedNode.TryParseDottedQuad(text, out var address));
        Assert.Equal(expected, address);
    }

    [Theory]
    [InlineData("256.0.0.1")]
    [InlineData("1.2.3.256")]
    [InlineData("1.2.3.999")]
    [InlineData("01.2.3.4")]
    [InlineData("1.2.3.04")]
    [InlineData("1.2.3")]
    [InlineData("1.2.3.4.5")]
    [InlineData("1..3.4")]
    [InlineData(".1.2.3")]
    [InlineData("1.2.3.")]
    [InlineData("1234.1.1.1")]
    [InlineData("127.1")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("1.2.3.4 ")]
    [InlineData("")]
    public void TryParseDottedQuad_NotADottedQuad_Refused(string text) =>
        Assert.False(ForwardedNode.TryParseDottedQuad(text, out _));

    [Theory]
    [InlineData("0.0.0.0/0", "203.0.113.9", true)]
    [InlineData("10.0.0.0/8", "10.255.255.255", true)]
    [InlineData("10.0.0.0/8", "11.0.0.0", false)]
    [InlineData("10.1.2.3/32", "10.1.2.3", true)]
    [InlineData("10.1.2.3/32", "10.1.2.4", false)]
    [InlineData("172.16.0.0/12", "172.31.255.255", true)]
    [InlineData("172.16.0.0/12", "172.32.0.0", false)]
    [InlineData("fd00::/8", "10.0.0.1", false)]
    public void ContainsIPv4_Network_MatchesAsItsPrefixSays(string network, string address, bool expected)
    {
        var networks = TrustedNetworks.Parse([network]);
        Assert.True(ForwardedNode.TryParseDottedQuad(address, out var number));

        Assert.Equal(expected, networks.ContainsIPv4(number));
    }

    [Fact]
    public void ContainsIPv4_GeneratedNetworksAndAddresses_DecidesAsIPNetworkContainsOfTheParsedAddress()
    {
        var octet = Gen.Int[0, 255];
        var quad = Gen.Select(octet, octet, octet, octet, (a, b, c, d) => $"{a}.{b}.{c}.{d}");
        var network = Gen.Select(quad, Gen.Int[0, 32], (q, prefix) => (Quad: q, Prefix: prefix));

        Gen.Select(network.Array[1, 4], quad).Sample(sample =>
        {
            var (nets, address) = sample;
            var texts = nets.Select(n => Canonical(n.Quad, n.Prefix)).ToArray();
            var trusted = TrustedNetworks.Parse(texts);
            Assert.True(ForwardedNode.TryParseDottedQuad(address, out var number));

            var parsed = IPAddress.Parse(address);
            var expected = texts.Any(t => IPNetwork.Parse(t).Contains(parsed));
            Assert.Equal(expected, trusted.ContainsIPv4(number));
            Assert.Equal(expected, trusted.Contains(parsed));
            Assert.Equal(expected, trusted.Contains(parsed.MapToIPv6()));
        }, iter: 20_000, seed: "0N0XIzNsQ0O2");
    }

    [Fact]
    public void TryParseDottedQuad_GeneratedText_AcceptsExactlyTheCanonicalQuadsIPAddressReads()
    {
        var text = Gen.String[Gen.Char["0123456789.x "], 0, 17];

        text.Sample(value =>
        {
            var ours = ForwardedNode.TryParseDottedQuad(value, out var number);
            var canonical = IPAddress.TryParse(value, out var parsed)
                && parsed.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
                && parsed.ToString() == value;

            Assert.Equal(canonical, ours);
            if (ours)
            {
                Assert.Equal(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(parsed!.GetAddressBytes()), number);
            }
        }, iter: 50_000, seed: "0N0XIzNsQ0O2");
    }

    /// <summary>The network of <paramref name="quad"/> with its host bits cleared, as CIDR text the contract accepts.</summary>
    private static string Canonical(string quad, int prefix)
    {
        var bytes = IPAddress.Parse(quad).GetAddressBytes();
        var value = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes);
        var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        var network = value & mask;
        return $"{network >> 24}.{(network >> 16) & 255}.{(network >> 8) & 255}.{network & 255}/{prefix}";
    }
}
