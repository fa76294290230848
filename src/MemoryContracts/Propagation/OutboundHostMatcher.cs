using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace MemoryContracts;

/// <summary>
/// Decides which hosts receive outbound <c>X-Memory-*</c> headers: names matching
/// <c>propagation.outbound_hosts</c> (exact names or <c>*.suffix</c>, case-insensitive), single-label
/// names (<c>inventory</c>), and loopback or private IP literals (<c>127.0.0.0/8</c>, <c>10.0.0.0/8</c>,
/// <c>172.16.0.0/12</c>, <c>192.168.0.0/16</c>, <c>::1</c>, <c>fc00::/7</c>, and their IPv4-mapped
/// forms). Everything else, public names and public addresses alike, gets nothing.
/// </summary>
internal sealed class OutboundHostMatcher
{
    private const string Key = "propagation.outbound_hosts";

    private static readonly SearchValues<char> DigitsAndDots = SearchValues.Create("0123456789.");

    private readonly string[] _exact;
    private readonly string[] _suffixes;

    private OutboundHostMatcher(string[] exact, string[] suffixes)
    {
        _exact = exact;
        _suffixes = suffixes;
    }

    /// <summary>Compiles the patterns, read by the contract's rule (<see cref="HostPattern"/>).</summary>
    /// <exception cref="MemoryContractException">An entry is not a host pattern (a bare <c>*</c> included).</exception>
    public static OutboundHostMatcher Create(IReadOnlyList<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        var exact = new List<string>();
        var suffixes = new List<string>();
        foreach (var pattern in patterns)
        {
            if (!HostPattern.TryParse(pattern, out var host, out var isSuffix, out var reason))
            {
                throw new MemoryContractException($"{Key} entry {reason}.", Key, null, null);
            }

            (isSuffix ? suffixes : exact).Add(host);
        }

        return new OutboundHostMatcher([.. exact], [.. suffixes]);
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
            return IsLoopbackOrPrivate(address) || MatchesExact(span);
        }

        var absolute = span.EndsWith('.');
        var name = absolute ? span[..^1] : span;
        if (name.IsEmpty)
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
        // Names are never IP literals: a literal is digits and dots, or contains ':' (IPv6).
        // This keeps a numeric-looking single label such as "12345" from being read as 0.0.48.57.
        var looksLikeIp = host.Contains(':') || (host.Contains('.') && !host.ContainsAnyExcept(DigitsAndDots));
        if (looksLikeIp && IPAddress.TryParse(host, out var parsed))
        {
            address = parsed;
            return true;
        }

        address = IPAddress.None;
        return false;
    }

    private bool MatchesExact(ReadOnlySpan<char> name)
    {
        foreach (var exact in _exact)
        {
            if (name.Equals(exact, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
