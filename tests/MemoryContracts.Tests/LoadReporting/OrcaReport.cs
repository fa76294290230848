using System.Globalization;

namespace MemoryContracts.Tests.LoadReporting;

/// <summary>
/// An ORCA TEXT report read back the way Envoy reads it (source/common/orca/orca_parser.cc, with the
/// <c>=</c> delimiter of envoyproxy/envoy#37724): the <c>TEXT </c> prefix, comma-separated entries with
/// whitespace around them skipped, each split at its first <c>=</c>, only the known metric names, no
/// name twice, finite numbers. Anything else throws, so a test fails on a report Envoy would reject.
/// </summary>
internal sealed record OrcaReport(double ApplicationUtilization, double CpuUtilization, double MemUtilization, double RpsFractional, double Eps)
{
    public static OrcaReport Parse(string value)
    {
        Assert.StartsWith("TEXT ", value, StringComparison.Ordinal);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var entry in value["TEXT ".Length..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var pair = entry.Split('=', 2, StringSplitOptions.TrimEntries);
            Assert.Equal(2, pair.Length);
            Assert.Contains(pair[0], (string[])["application_utilization", "cpu_utilization", "mem_utilization", "rps_fractional", "eps"]);
            var number = double.Parse(pair[1], NumberStyles.Float, CultureInfo.InvariantCulture);
            Assert.True(double.IsFinite(number), entry);
            Assert.True(metrics.TryAdd(pair[0], number), "duplicate metric " + pair[0]);
        }

        return new OrcaReport(
            metrics.GetValueOrDefault("application_utilization"),
            metrics.GetValueOrDefault("cpu_utilization"),
            metrics.GetValueOrDefault("mem_utilization"),
            metrics.GetValueOrDefault("rps_fractional"),
            metrics.GetValueOrDefault("eps"));
    }

    /// <summary>
    /// The endpoint weight of gRPC's <c>weighted_round_robin</c> (proposal A58) and Envoy's
    /// <c>client_side_weighted_round_robin</c>: <c>qps / (utilization + eps / qps × penalty)</c>, where
    /// utilization is <c>application_utilization</c> when above zero, else <c>cpu_utilization</c>; 0 (the
    /// balancer then gives the endpoint the mean weight) when qps or utilization is not above zero.
    /// </summary>
    public double Weight(double errorUtilizationPenalty)
    {
        var utilization = ApplicationUtilization > 0 ? ApplicationUtilization : CpuUtilization;
        if (RpsFractional <= 0 || utilization <= 0)
        {
            return 0;
        }

        return RpsFractional / (utilization + (Eps / RpsFractional * errorUtilizationPenalty));
    }
}
