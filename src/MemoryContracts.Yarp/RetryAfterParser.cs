using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace MemoryContracts;

/// <summary>
/// Strict parsing of a <c>Retry-After</c> response header: delta-seconds (ASCII digits only) or an
/// HTTP-date (IMF-fixdate, or the obsolete RFC 850 and asctime forms), turned into a window clamped to
/// [1 s, 300 s]. Anything else is rejected.
/// </summary>
internal static class RetryAfterParser
{
    private const int MaxLength = 64;

    /// <summary>The shortest window a Retry-After is held to (1 s).</summary>
    private static readonly TimeSpan MinWindow = TimeSpan.FromSeconds(1);

    /// <summary>The longest window a Retry-After is held to (300 s).</summary>
    private static readonly TimeSpan MaxWindow = TimeSpan.FromSeconds(300);

    private static readonly string[] HttpDateFormats =
    [
        "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
        "dddd, dd'-'MMM'-'yy HH':'mm':'ss 'GMT'",
        "ddd MMM d HH':'mm':'ss yyyy",
    ];

    /// <summary>Reads the one <c>Retry-After</c> value into a clamped window, relative to <paramref name="now"/>.</summary>
    public static bool TryParse(StringValues values, DateTimeOffset now, out TimeSpan window)
    {
        window = TimeSpan.Zero;
        if (values.Count != 1 || values[0] is not { Length: > 0 and <= MaxLength } raw)
        {
            return false;
        }

        var value = raw.AsSpan().Trim(" \t");
        if (value.IsEmpty)
        {
            return false;
        }

        TimeSpan asked;
        if (char.IsAsciiDigit(value[0]))
        {
            if (value.Length > 10 || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return false;
            }

            asked = TimeSpan.FromSeconds(seconds);
        }
        else if (DateTimeOffset.TryParseExact(value, HttpDateFormats, CultureInfo.InvariantCulture,
                     DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowInnerWhite, out var date))
        {
            asked = date - now;
        }
        else
        {
            return false;
        }

        window = asked < MinWindow ? MinWindow : asked > MaxWindow ? MaxWindow : asked;
        return true;
    }
}
