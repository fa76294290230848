using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MemoryContracts;

/// <summary>
/// One hop a forwarding header names (an <c>X-Forwarded-For</c> entry, or the unquoted value of a
/// <c>Forwarded: for=</c>): RFC 7239's <c>node = nodename [ ":" node-port ]</c>, where the name is a
/// dotted-quad IPv4 address, a bracketed IPv6 address (<c>[2001:db8::1]</c>; a bare one is read too,
/// as <c>X-Forwarded-For</c> often carries it) and the port is decimal or obfuscated (<c>_abc</c>).
/// <c>unknown</c> and obfuscated names (<c>_hidden</c>) are not addresses, so not trusted.
/// </summary>
internal static class ForwardedNode
{
    private static readonly SearchValues<char> ObfuscatedCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

    /// <summary>Gets a value indicating whether <paramref name="node"/> is an address in <paramref name="networks"/>.</summary>
    public static bool IsTrusted(ReadOnlySpan<char> node, TrustedNetworks networks)
    {
        ReadOnlySpan<char> host;
        if (node.StartsWith('['))
        {
            var close = node.IndexOf(']');
            if (close < 0)
            {
                return false;
            }

            host = node[1..close];
            var rest = node[(close + 1)..];
            if (!rest.IsEmpty && !(rest[0] == ':' && IsPort(rest[1..])))
            {
                return false;
            }

            return host.Contains(':') && TryParse(host, AddressFamily.InterNetworkV6, out var v6) && networks.Contains(v6);
        }

        var colon = node.IndexOf(':');
        if (colon >= 0 && node.LastIndexOf(':') != colon)
        {
            // Two or more colons: a bare IPv6 address (no port can follow one unbracketed).
            return TryParse(node, AddressFamily.InterNetworkV6, out var bare) && networks.Contains(bare);
        }

        host = colon < 0 ? node : node[..colon];
        if (colon >= 0 && !IsPort(node[(colon + 1)..]))
        {
            return false;
        }

        return TryParseDottedQuad(host, out var v4) && networks.ContainsIPv4(v4);
    }

    private static bool TryParse(ReadOnlySpan<char> text, AddressFamily family, out IPAddress address) =>
        IPAddress.TryParse(text, out address!) && address.AddressFamily == family;

    /// <summary>
    /// Four decimal parts of one to three digits, each at most 255, without leading zeros, read into the
    /// address as a number (most significant part first) without allocating: what
    /// <see cref="IPAddress.TryParse(ReadOnlySpan{char}, out IPAddress?)"/> also reads (<c>127.1</c>,
    /// <c>0x7f.0.0.1</c>, the octal <c>012.0.0.1</c>) is not a node.
    /// </summary>
    internal static bool TryParseDottedQuad(ReadOnlySpan<char> text, out uint address)
    {
        address = 0;
        var parts = 0;
        var digits = 0;
        var part = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                if ((digits == 1 && part == 0) || ++digits > 3)
                {
                    return false;
                }

                part = (part * 10) + (c - '0');
            }
            else if (c == '.' && digits > 0 && parts < 3)
            {
                if (part > 255)
                {
                    return false;
                }

                address = (address << 8) | (uint)part;
                parts++;
                digits = 0;
                part = 0;
            }
            else
            {
                return false;
            }
        }

        if (parts != 3 || digits == 0 || part > 255)
        {
            return false;
        }

        address = (address << 8) | (uint)part;
        return true;
    }

    /// <summary><c>node-port = port / obfport</c>: 1–5 digits up to 65535, or <c>_</c> and letters, digits, <c>.</c>, <c>_</c>, <c>-</c>.</summary>
    private static bool IsPort(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return false;
        }

        if (text[0] == '_')
        {
            return text.Length > 1 && !text[1..].ContainsAnyExcept(ObfuscatedCharacters);
        }

        return text.Length <= 5 && !text.ContainsAnyExceptInRange('0', '9') && int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture) <= 65535;
    }
}
