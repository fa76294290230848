using Microsoft.Extensions.Primitives;

namespace MemoryContracts;

/// <summary>
/// The usage a destination reports on a response, in percent: ORCA <c>application_utilization</c>
/// (when above zero), else ORCA <c>mem_utilization</c>, else <c>X-Memory-Usage</c>, else an ORCA
/// <c>application_utilization</c> of zero. Malformed headers are ignored.
/// </summary>
internal static class ReportedUsage
{
    /// <summary>The highest usage recorded: larger reports are taken as this.</summary>
    public const double MaxPercent = 1000;

    /// <summary>Reads the usage from the response's <c>endpoint-load-metrics</c> and <c>X-Memory-Usage</c> values.</summary>
    public static bool TryRead(StringValues loadMetrics, StringValues memoryUsage, out double percent)
    {
        var orca = new OrcaLoadReport(double.NaN, double.NaN);
        var hasOrca = loadMetrics.Count == 1 && OrcaLoadReportParser.TryParse(loadMetrics[0], out orca);
        if (hasOrca && orca.ApplicationUtilization > 0)
        {
            percent = Clamp(orca.ApplicationUtilization * 100);
            return true;
        }

        if (hasOrca && !double.IsNaN(orca.MemUtilization))
        {
            percent = Clamp(orca.MemUtilization * 100);
            return true;
        }

        if (MemoryHeaderParser.ParseUsage(memoryUsage, out var usage) == HeaderParseResult.Valid)
        {
            percent = Clamp(usage);
            return true;
        }

        if (hasOrca && !double.IsNaN(orca.ApplicationUtilization))
        {
            percent = 0;
            return true;
        }

        percent = 0;
        return false;
    }

    private static double Clamp(double percent) => Math.Min(percent, MaxPercent);
}
