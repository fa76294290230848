using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace MemoryContracts;

/// <summary>
/// The precompiled <c>propagation.trusted_networks</c>. IPv4 networks are kept as numbers (network and
/// mask), which an IPv4 <see cref="IPAddress"/>, its IPv4-mapped IPv6 form (<c>::ffff:10.1.2.3</c>,
/// what a dual-mode socket reports) and a forwarding header's dotted quad are all checked against, so
/// checking an address allocates nothing.
/// </summary>
internal sealed class TrustedNetworks
{
    private const string Key = "propagation.trusted_networks";

    private readonly (uint Network, uint Mask)[] _ipv4;
    private readonly IPNetwork[] _ipv6;

    private TrustedNetworks((uint Network, uint Mask)[] ipv4, IPNetwork[] ipv6)
    {
        _ipv4 = ipv4;
        _ipv6 = ipv6;
    }

    /// <summary>Parses CIDR networks (<c>10.0.0.0/8</c>, <c>fd00::/8</c>) by the contract's rule (<see cref="CidrNotation"/>).</summary>
    /// <exception cref="MemoryContractException">An entry is not a network.</exception>
    public static TrustedNetworks Parse(IReadOnlyList<string> networks)
    {
        ArgumentNullException.ThrowIfNull(networks);
        var ipv4 = new List<(uint Network, uint Mask)>();
        var ipv6 = new List<IPNetwork>();
        foreach (var text in networks)
        {
            var network = ParseOne(text);
            if (network.BaseAddress.AddressFamily == AddressFamily.InterNetwork)
            {
                var mask = network.PrefixLength == 0 ? 0u : uint.MaxValue << (32 - network.PrefixLength);
                ipv4.Add((BinaryPrimitives.ReadUInt32BigEndian(network.BaseAddress.GetAddressBytes()) & mask, mask));
            }
            else
            {
                ipv6.Add(network);
            }
        }

        return new TrustedNetworks([.. ipv4], [.. ipv6]);
    }

    /// <summary>Gets a value indicating whether <paramref name="address"/> is in a trusted network; <see langword="null"/> is not.</summary>
    public bool Contains(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> bytes = stackalloc byte[4];
            return address.TryWriteBytes(bytes, out _) && ContainsIPv4(BinaryPrimitives.ReadUInt32BigEndian(bytes));
        }

        if (address.IsIPv4MappedToIPv6)
        {
            // ::ffff:a.b.c.d, what a dual-mode socket reports for an IPv4 peer: its last four bytes.
            Span<byte> bytes = stackalloc byte[16];
            return address.TryWriteBytes(bytes, out _) && ContainsIPv4(BinaryPrimitives.ReadUInt32BigEndian(bytes[12..]));
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        foreach (var network in _ipv6)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Gets a value indicating whether the IPv4 address <paramref name="address"/> (most significant part
    /// first, as <see cref="ForwardedNode.TryParseDottedQuad"/> reads it) is in a trusted network, without
    /// an <see cref="IPAddress"/>.
    /// </summary>
    public bool ContainsIPv4(uint address)
    {
        foreach (var (network, mask) in _ipv4)
        {
            if ((address & mask) == network)
            {
                return true;
            }
        }

        return false;
    }

    private static IPNetwork ParseOne(string? text)
    {
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            throw new MemoryContractException($"{Key} has an empty entry; give a network such as 10.0.0.0/8 or fd00::/8.", Key, null, null);
        }

        return CidrNotation.TryParse(value, out var network, out var reason)
            ? network
            : throw new MemoryContractException($"{Key} entry {reason}.", Key, null, null);
    }
}
