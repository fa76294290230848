namespace MemoryContracts;

/// <summary>One point of the dashboard's history JSON: a snapshot and when it was recorded.</summary>
internal sealed class HistorySnapshot
{
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Gets the overall level's name (<c>normal</c>, <c>elevated</c>, <c>high</c>, <c>critical</c>).</summary>
    public required string Level { get; init; }

    public int UsagePercent { get; init; }

    public long CapacityBytes { get; init; }

    public long HeapBytes { get; init; }

    public double? HeapRatio { get; init; }

    /// <summary>Gets the container's working set in bytes, or <see langword="null"/> where the snapshot has no container reading.</summary>
    public long? WorkingSetBytes { get; init; }

    /// <summary>Gets the container's memory limit in bytes, or <see langword="null"/> where there is none.</summary>
    public long? ContainerLimitBytes { get; init; }

    /// <summary>Gets the working set against the container's limit, or <see langword="null"/> where there is none.</summary>
    public double? WorkingSetRatio { get; init; }

    public double? ShedFraction { get; init; }

    public required string ContractVersion { get; init; }

    public required HistoryModule[] Modules { get; init; }

    public static HistorySnapshot From(DashboardPoint point)
    {
        var snapshot = point.Snapshot;
        var modules = new HistoryModule[snapshot.Modules.Count];
        for (var i = 0; i < modules.Length; i++)
        {
            modules[i] = HistoryModule.From(snapshot.Modules[i]);
        }

        return new HistorySnapshot
        {
            Timestamp = point.At,
            Level = MemoryContractsMetrics.LevelName(snapshot.Level),
            UsagePercent = snapshot.UsagePercent,
            CapacityBytes = snapshot.CapacityBytes,
            HeapBytes = snapshot.HeapBytes,
            HeapRatio = Finite(snapshot.HeapRatio),
            WorkingSetBytes = snapshot.WorkingSetBytes,
            ContainerLimitBytes = snapshot.ContainerLimitBytes,
            WorkingSetRatio = snapshot.WorkingSetRatio is { } ratio ? Finite(ratio) : null,
            ShedFraction = Finite(snapshot.ShedFraction),
            ContractVersion = snapshot.ContractVersion,
            Modules = modules,
        };
    }

    /// <summary>JSON has no NaN or infinity: those become <see langword="null"/>.</summary>
    internal static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
