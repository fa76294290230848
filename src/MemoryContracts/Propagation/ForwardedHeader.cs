using System.Buffers;
using Microsoft.Extensions.Primitives;

namespace MemoryContracts;

/// <summary>
/// RFC 7239 <c>Forwarded: for=192.0.2.60;proto=http;by=203.0.113.43, for="[2001:db8::1]:4711"</c>:
/// elements separated by commas, each a list of <c>name=value</c> pairs separated by semicolons, a value
/// a token or a quoted string (backslash escapes allowed). Only <c>for</c> (any case) names whom the
/// request was relayed for; each is judged by <see cref="ForwardedNode"/>. A value that does not parse,
/// a name without <c>=</c>, an unterminated quote or stray characters make the request untrusted.
/// Unquoted values may also hold <c>:</c>, <c>[</c> and <c>]</c> (<c>for=10.0.0.1:8080</c>, which the
/// RFC asks to quote but proxies send), since that can only make a trusted address readable, never an
/// outsider trusted. Parsed on spans; allocates only the addresses it parses.
/// </summary>
internal static class ForwardedHeader
{
    /// <summary>The longest quoted value with escapes that is unescaped; a longer one is untrusted.</summary>
    private const int MaxEscapedLength = 256;

    /// <summary>RFC 9110 <c>tchar</c>.</summary>
    private static readonly SearchValues<char> TokenCharacters =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    /// <summary>What an unquoted value may hold: <c>tchar</c>, and <c>:</c>, <c>[</c>, <c>]</c> (see the type's remarks).</summary>
    private static readonly SearchValues<char> ValueCharacters =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz:[]");

    /// <summary>Gets a value indicating whether every <c>for=</c> the values name is trusted; <paramref name="budget"/> is how many nodes may still be read.</summary>
    public static bool NamesOnlyTrusted(StringValues values, TrustedNetworks networks, ref int budget)
    {
        foreach (var value in values)
        {
            if (!NamesOnlyTrusted(value.AsSpan(), networks, ref budget))
            {
                return false;
            }
        }

        return true;
    }

    private static bool NamesOnlyTrusted(ReadOnlySpan<char> text, TrustedNetworks networks, ref int budget)
    {
        var position = 0;
        while (true)
        {
            position = SkipWhitespace(text, position);
            if (position == text.Length)
            {
                return true;
            }

            // An empty element or pair (",," or ";;") is allowed by the list and element grammar.
            if (text[position] is ',' or ';')
            {
                position++;
                continue;
            }

            var nameLength = text[position..].IndexOfAnyExcept(TokenCharacters);
            var name = nameLength < 0 ? text[position..] : text.Slice(position, nameLength);
            position += name.Length;
            if (name.IsEmpty || position == text.Length || text[position] != '=')
            {
                return false;
            }

            position++;
            if (!TryReadValue(text, ref position, out var quoted, out var escaped))
            {
                return false;
            }

            if (name.Equals("for", StringComparison.OrdinalIgnoreCase))
            {
                if (--budget < 0 || !IsTrustedValue(quoted, escaped, networks))
                {
                    return false;
                }
            }

            position = SkipWhitespace(text, position);
            if (position < text.Length && text[position] is not (',' or ';'))
            {
                return false;
            }
        }
    }

    /// <summary>Reads a token or a quoted string at <paramref name="position"/>; <paramref name="escaped"/> tells whether the quoted text holds backslashes.</summary>
    private static bool TryReadValue(ReadOnlySpan<char> text, ref int position, out ReadOnlySpan<char> value, out bool escaped)
    {
        escaped = false;
        value = default;
        if (position == text.Length)
        {
            return false;
        }

        if (text[position] != '"')
        {
            var length = text[position..].IndexOfAnyExcept(ValueCharacters);
            value = length < 0 ? text[position..] : text.Slice(position, length);
            position += value.Length;
            return !value.IsEmpty;
        }

        var start = position + 1;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\')
            {
                escaped = true;
                if (++i == text.Length)
                {
                    return false;
                }
            }
            else if (c == '"')
            {
                value = text[start..i];
                position = i + 1;
                return true;
            }
            else if (char.IsControl(c) && c != '\t')
            {
                return false;
            }
        }

        return false;
    }

    private static bool IsTrustedValue(ReadOnlySpan<char> value, bool escaped, TrustedNetworks networks)
    {
        if (!escaped)
        {
            return ForwardedNode.IsTrusted(value, networks);
        }

        if (value.Length > MaxEscapedLength)
        {
            return false;
        }

        Span<char> buffer = stackalloc char[MaxEscapedLength];
        var length = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            buffer[length++] = c == '\\' ? value[++i] : c;
        }

        return ForwardedNode.IsTrusted(buffer[..length], networks);
    }

    private static int SkipWhitespace(ReadOnlySpan<char> text, int position)
    {
        while (position < text.Length && text[position] is ' ' or '\t')
        {
            position++;
        }

        return position;
    }
}
