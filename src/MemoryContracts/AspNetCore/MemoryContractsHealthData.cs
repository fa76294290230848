using System.Globalization;

namespace MemoryContracts;

/// <summary>
/// The <c>HealthCheckResult.Data</c> both MemoryContracts checks carry: the process's level and usage,
/// <c>shed_fraction</c> (what is shed: 0 in shadow mode), <c>would_shed_fraction</c> (what the contract
/// warrants whatever the mode: in shadow, what enforcing would shed) and, per module, <c>&lt;module&gt;.level</c>, <c>.heap_ratio</c>, <c>.alloc_rate_ratio</c>, <c>.gc_pause_ratio</c>;
/// and what the diagnostics know (<see cref="DiagnosticsState.AddHealthData"/>): <c>leak_suspected</c>
/// (with <c>leak_grew</c>, <c>leak_full_gcs</c>, <c>leak_heap_growth_mb</c> when suspected) and
/// <c>top_allocator</c>, <c>top_allocator_share</c> when the allocation profile has a sample.
/// </summary>
internal static class MemoryContractsHealthData
{
    public static Dictionary<string, object> Create(MemoryPressureSnapshot snapshot, DiagnosticsState diagnostics)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["level"] = MemoryContractsMetrics.LevelName(snapshot.Level),
            ["usage_percent"] = snapshot.UsagePercent,
            ["capacity_mb"] = snapshot.CapacityBytes / (1024 * 1024),
            ["shed_fraction"] = Math.Round(snapshot.ShedFraction, 3),
            ["would_shed_fraction"] = Math.Round(snapshot.WouldShedFraction, 3),
            ["contract"] = snapshot.ContractVersion,
        };
        if (snapshot.WorkingSetBytes is { } workingSet)
        {
            data["working_set_mb"] = workingSet / (1024 * 1024);
        }

        if (snapshot.ContainerLimitBytes is { } limit)
        {
            data["container_limit_mb"] = limit / (1024 * 1024);
        }

        if (snapshot.WorkingSetRatio is { } workingSetRatio)
        {
            data["working_set_ratio"] = Math.Round(workingSetRatio, 3);
        }

        foreach (var module in snapshot.Modules)
        {
            data[module.Module + ".level"] = MemoryContractsMetrics.LevelName(module.Level);
            data[module.Module + ".heap_ratio"] = Math.Round(module.HeapRatio, 3);
            data[module.Module + ".alloc_rate_ratio"] = Math.Round(module.AllocRateRatio, 3);
            data[module.Module + ".gc_pause_ratio"] = Math.Round(module.GcPauseRatio, 3);
        }

        diagnostics.AddHealthData(data);
        return data;
    }

    public static string Percent(double fraction) => (fraction * 100).ToString("0", CultureInfo.InvariantCulture) + "%";
}
