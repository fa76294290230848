using System.Globalization;

namespace MemoryContracts;

/// <summary>
/// Strict, allocation-free parsing of the TEXT form of the ORCA <c>endpoint-load-metrics</c> header:
/// <c>TEXT application_utilization=0.68, cpu_utilization=0.12, mem_utilization=0.68, rps_fractional=240.5, eps=0.5</c>.
/// Any malformed entry rejects the whole report (it is then ignored, never thrown).
/// </summary>
internal static class OrcaLoadReportParser
{
    /// <summary>The longest header value read; a longer one is malformed.</summary>
    public const int MaxLength = 4096;

    private const string TextPrefix = "TEXT ";
    private const string ApplicationUtilization = "application_utilization";
    private const string MemUtilization = "mem_utilization";

    /// <summary>Parses one header value; false when it is not a well-formed TEXT report.</summary>
    public static bool TryParse(ReadOnlySpan<char> value, out OrcaLoadReport report)
    {
        report = new OrcaLoadReport(double.NaN, double.NaN);
        if (value.Length > MaxLength || !value.StartsWith(TextPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        double application = double.NaN, memory = double.NaN;
        var rest = value[TextPrefix.Length..];
        while (true)
        {
            var comma = rest.IndexOf(',');
            var entry = (comma < 0 ? rest : rest[..comma]).Trim(" \t");
            if (!TryParseEntry(entry, out var key, out var number))
            {
                return false;
            }

            if (key.SequenceEqual(ApplicationUtilization))
            {
                application = number;
            }
            else if (key.SequenceEqual(MemUtilization))
            {
                memory = number;
            }

            if (comma < 0)
            {
                break;
            }

            rest = rest[(comma + 1)..];
        }

        report = new OrcaLoadReport(application, memory);
        return true;
    }

    /// <summary>
    /// One <c>name=value</c>: a name of ASCII letters, digits, <c>_</c>, <c>.</c> or <c>-</c>, and a finite,
    /// non-negative decimal number (no sign, no spaces, optional exponent).
    /// </summary>
    private static bool TryParseEntry(ReadOnlySpan<char> entry, out ReadOnlySpan<char> key, out double number)
    {
        key = default;
        number = 0;
        var equals = entry.IndexOf('=');
        if (equals <= 0)
        {
            return false;
        }

        key = entry[..equals];
        foreach (var c in key)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
            {
                return false;
            }
        }

        return double.TryParse(entry[(equals + 1)..], NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out number)
            && double.IsFinite(number);
    }
}
