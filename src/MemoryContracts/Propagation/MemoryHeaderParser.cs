using Microsoft.Extensions.Primitives;

namespace MemoryContracts;

/// <summary>
/// Strict, allocation-free parsing of <c>X-Memory-Usage</c> and <c>X-Memory-Contract</c> values
/// received from other services. Anything unexpected is reported as malformed, never thrown.
/// </summary>
internal static class MemoryHeaderParser
{
    /// <summary>The longest <c>X-Memory-Contract</c> value accepted.</summary>
    public const int MaxContractLength = 64;

    /// <summary>The most digits an <c>X-Memory-Usage</c> value may have (an <see cref="int"/> has 10).</summary>
    private const int MaxUsageDigits = 10;

    /// <summary>Reads an <c>X-Memory-Usage</c> header: absent, one well-formed value, or malformed.</summary>
    public static HeaderParseResult ParseUsage(StringValues values, out int percent)
    {
        percent = 0;
        return values.Count switch
        {
            0 => HeaderParseResult.Absent,
            1 => TryParseUsage(values[0], out percent) ? HeaderParseResult.Valid : HeaderParseResult.Malformed,
            _ => HeaderParseResult.Malformed,
        };
    }

    /// <summary>
    /// Parses <c>68%</c> or <c>68</c>: ASCII digits with at most one trailing <c>%</c>, no sign, no
    /// fraction, no list, no overflow. Surrounding spaces and tabs are ignored.
    /// </summary>
    public static bool TryParseUsage(ReadOnlySpan<char> value, out int percent)
    {
        percent = 0;
        int start = 0, end = value.Length;
        while (start < end && value[start] is ' ' or '\t')
        {
            start++;
        }

        while (end > start && value[end - 1] is ' ' or '\t')
        {
            end--;
        }

        if (end > start && value[end - 1] == '%')
        {
            end--;
        }

        if (end == start || end - start > MaxUsageDigits)
        {
            return false;
        }

        long result = 0;
        for (var i = start; i < end; i++)
        {
            var digit = (uint)(value[i] - '0');
            if (digit > 9)
            {
                return false;
            }

            result = (result * 10) + digit;
        }

        if (result > int.MaxValue)
        {
            return false;
        }

        percent = (int)result;
        return true;
    }

    /// <summary>Reads an <c>X-Memory-Contract</c> header: absent, one well-formed value, or malformed.</summary>
    public static HeaderParseResult ParseContract(StringValues values, out string? contract)
    {
        contract = null;
        if (values.Count == 0)
        {
            return HeaderParseResult.Absent;
        }

        if (values.Count == 1 && values[0] is { } value && IsValidContract(value))
        {
            contract = value;
            return HeaderParseResult.Valid;
        }

        return HeaderParseResult.Malformed;
    }

    /// <summary>
    /// A contract version is 1 to <see cref="MaxContractLength"/> printable ASCII characters, with no
    /// leading or trailing space.
    /// </summary>
    public static bool IsValidContract(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty || value.Length > MaxContractLength || value[0] == ' ' || value[^1] == ' ')
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c is < ' ' or > '~')
            {
                return false;
            }
        }

        return true;
    }
}
