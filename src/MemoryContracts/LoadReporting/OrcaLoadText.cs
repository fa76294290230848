using System.Globalization;

namespace MemoryContracts;

/// <summary>
/// Formats the ORCA load report in the TEXT form Envoy parses (<c>endpoint-load-metrics</c>; keys
/// and values joined by <c>=</c>, pairs separated by commas, as the ORCA design and Envoy since
/// envoyproxy/envoy#37724 have it):
/// <c>TEXT application_utilization=0.68, cpu_utilization=0.12, mem_utilization=0.68, rps_fractional=240.5, eps=0.5</c>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>mem_utilization</c>: <see cref="MemoryPressureSnapshot.UsagePercent"/> as a ratio (the binding
/// constraint of heap and working set), capped at 1 as the ORCA report defines it.</item>
/// <item><c>cpu_utilization</c>: the process's CPU over the last window against the cores it may use.</item>
/// <item><c>application_utilization</c>: the higher of the two, uncapped (a process over its budget
/// reports more than 1): what weighted-round-robin balancers divide by.</item>
/// <item><c>rps_fractional</c> and <c>eps</c>: requests and errors (5xx, shed 429s) per second over the last window.</item>
/// </list>
/// </remarks>
internal static class OrcaLoadText
{
    /// <summary>The value's prefix: the TEXT form.</summary>
    public const string Prefix = "TEXT ";

    public static string Format(MemoryPressureSnapshot snapshot, LoadFigures load)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var memory = Math.Max(0, snapshot.UsagePercent) / 100.0;
        var cpu = Finite(load.CpuUtilization);
        var application = Math.Max(memory, cpu);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{Prefix}application_utilization={application:0.####}, cpu_utilization={cpu:0.####}, mem_utilization={Math.Min(memory, 1):0.####}, rps_fractional={Finite(load.RequestsPerSecond):0.###}, eps={Finite(load.ErrorsPerSecond):0.###}");
    }

    private static double Finite(double value) => double.IsFinite(value) && value > 0 ? value : 0;
}
