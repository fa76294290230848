using System.Net;
using System.Net.Sockets;

namespace MemoryContracts;

/// <summary>
/// Decides which hosts receive outbound <c>X-Memory-*</c> headers: names matching
/// <c>propagation.outbound_hosts</c> (exact names or <c>*.suffix</c>, case-insensitive), single-label
/// names (<c>inventory</c>), and loopback or private IP literals (<c>127.0.0.0/8</c>, <c>10.0.0.0/8</c>,
/// <c>172.16.0.0/12</c>, <c>192.168.0.0/16</c>, <c>::1</c>, <c>fc00::/7</c>, and their IPv4-mapped
/// forms). Everything else, public names and public addresses alike, gets nothing; nor do the cloud
/// metadata services (<see cref="CloudMetadataHosts"/>), whatever the patterns say.
/// </summary>
internal sealed class OutboundHostMatcher
{
    private const string Key = "propagation.outbound_hosts";

    private readonly string[] _exactNames;
    private readonly IPAddress[] _exactAddresses;
    private readonly string[] _suffixes;

    private OutboundHostMatcher(string[] exactNames, IPAddress[] exactAddresses, string[] suffixes, string[] metadataEntries)
    {
        _exactNames = exactNames;
        _exactAddresses = exactAddresses;
        _suffixes = suffixes;
        MetadataEntries = metadataEntries;
    }

    /// <summary>Gets the entries, as written, that name a cloud metadata service and are therefore ignored.</summary>
    public IReadOnlyList<string> MetadataEntries { get; }

    /// <summary>Compiles the patterns, read by the contract's rule (<see cref="HostPattern"/>).</summary>
    /// <exception cref="MemoryContractException">An entry is not a host pattern (a bare <c>*</c> included).</exception>
    public static OutboundHostMatcher Create(IReadOnlyList<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        var names = new List<string>();
        var addresses = new List<IPAddress>();
        var suffixes = new List<string>();
        var metadata = new List<string>();
        foreach (var pattern in patterns)
        {
            if (!HostPattern.TryParse(pattern, out var host, out var isSuffix, out var reason))
            {
                throw new MemoryContractException($"{Key} entry {reason}.", Key, null, null);
            }

            if (isSuffix)
            {
                suffixes.Add(host);
            }
            else if (IPAddress.TryParse(host, out var address))
            {
                addresses.Add(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
                AddIf(CloudMetadataHosts.IsMetadataAddress(address), metadata, pattern);
            }
            else
            {
                names.Add(host);
                AddIf(CloudMetadataHosts.IsMetadataName(host), metadata, pattern);
            }
        }

        return new OutboundHostMatcher([.. names], [.. addresses], [.. suffixes], [.. metadata]);
    }

    /// <summary>
    /// Gets a value indicating whether a request to <paramref name="host"/> (as in a URI: a name, an
    /// IPv4 literal, or an IPv6 literal with or without brackets) may carry our headers.
    /// </summary>
    public bool IsAllowed(string? host)
    {
        if (string.IsNullOrEmpty(host))
        {
            return false;
        }

        var span = host.AsSpan();
        if (span.Length > 2 && span[0] == '[' && span[^1] == ']')
        {
            span = span[1..^1];
        }

        if (IsIpLiteral(span, out var address))
        {
            return !CloudMetadataHosts.IsMetadataAddress(address) && (IsLoopbackOrPrivate(address) || MatchesExact(address));
        }

        var absolute = span.EndsWith('.');
        var name = absolute ? span[..^1] : span;
        if (name.IsEmpty || CloudMetadataHosts.IsMetadataName(name))
        {
            return false;
        }

        // A single-label name resolves through the search domains to a neighbour; an absolute one
        // ("inventory.") names a top-level domain, so it must match a pattern like any other name.
        if (!absolute && !name.Contains('.'))
        {
            return true;
        }

        if (MatchesExact(name))
        {
            return true;
        }

        foreach (var suffix in _suffixes)
        {
            if (name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Loopback, RFC 1918 and unique-local (<c>fc00::/7</c>) addresses; IPv4-mapped forms too.</summary>
    internal static bool IsLoopbackOrPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return true;
        }

        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written))
        {
            return false;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork && written == 4)
        {
            return bytes[0] == 10
                || (bytes[0] == 172 && (bytes[1] & 0xF0) == 16)
                || (bytes[0] == 192 && bytes[1] == 168);
        }

        return address.AddressFamily == AddressFamily.InterNetworkV6 && (bytes[0] & 0xFE) == 0xFC;
    }

    private static bool IsIpLiteral(ReadOnlySpan<char> host, out IPAddress address)
    {
        // Read as the resolver reads it: an IPv6 literal contains ':', and a host starting with a
        // digit that parses as IPv4 is one (getaddrinfo takes "12345", "0x7f.1" or "2852039166" as
        // addresses, and Uri canonicalizes them so), however it is spelt.
        var looksLikeIp = host.Contains(':') || char.IsAsciiDigit(host[0]);
        if (looksLikeIp && IPAddress.TryParse(host, out var parsed))
        {
            address = parsed;
            return true;
        }

        address = IPAddress.None;
        return false;
    }

    private static void AddIf(bool condition, List<string> list, string item)
    {
        if (condition)
        {
            list.Add(item);
        }
    }

    private bool MatchesExact(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (var exact in _exactAddresses)
        {
            if (exact.Equals(address))
            {
                return true;
            }
        }

        return false;
    }

    private bool MatchesExact(ReadOnlySpan<char> name)
    {
        foreach (var exact in _exactNames)
        {
            if (name.Equals(exact, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
