using System.Net;
using System.Net.Sockets;

namespace MemoryContracts;

/// <summary>
/// The precompiled <c>propagation.trusted_networks</c>. An IPv4 network also matches its
/// IPv4-mapped IPv6 form (<c>::ffff:10.1.2.3</c>, what a dual-mode socket reports), so checking an
/// address allocates nothing.
/// </summary>
internal sealed class TrustedNetworks
{
    private const string Key = "propagation.trusted_networks";

    private readonly IPNetwork[] _ipv4;
    private readonly IPNetwork[] _ipv6;
    private readonly (uint Network, uint Mask)[] _ipv4Numbers;

    private TrustedNetworks(IPNetwork[] ipv4, IPNetwork[] ipv6)
    {
        _ipv4 = ipv4;
        _ipv6 = ipv6;
        _ipv4Numbers = [.. ipv4.Select(static n =>
        {
            var bytes = n.BaseAddress.GetAddressBytes();
            var mask = n.PrefixLength == 0 ? 0u : uint.MaxValue << (32 - n.PrefixLength);
            return (System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes) & mask, mask);
        })];
    }

    /// <summary>Parses CIDR networks (<c>10.0.0.0/8</c>, <c>fd00::/8</c>) by the contract's rule (<see cref="CidrNotation"/>).</summary>
    /// <exception cref="MemoryContractException">An entry is not a network.</exception>
    public static TrustedNetworks Parse(IReadOnlyList<string> networks)
    {
        ArgumentNullException.ThrowIfNull(networks);
        var ipv4 = new List<IPNetwork>();
        var ipv6 = new List<IPNetwork>();
        foreach (var text in networks)
        {
            var network = ParseOne(text);
            if (network.BaseAddress.AddressFamily == AddressFamily.InterNetwork)
            {
                ipv4.Add(network);
                ipv6.Add(new IPNetwork(network.BaseAddress.MapToIPv6(), network.PrefixLength + 96));
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

        var networks = address.AddressFamily switch
        {
            AddressFamily.InterNetwork => _ipv4,
            AddressFamily.InterNetworkV6 => _ipv6,
            _ => [],
        };

        foreach (var network in networks)
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
        foreach (var (network, mask) in _ipv4Numbers)
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
