namespace MemoryContracts;

/// <summary>
/// The body of <c>GET {pattern}/history</c>: the contract's frame (mode, sampling interval, heap
/// thresholds), the recorded snapshots of the last 10 minutes, oldest first, the last of them being
/// the snapshot in force stamped with the time of the request (so a line reaches "now" even when
/// nothing has changed for a while), and the level changes of the window.
/// </summary>
internal sealed class HistoryDocument
{
    public required DateTimeOffset Now { get; init; }

    public int WindowSeconds { get; init; }

    public long SamplingIntervalMs { get; init; }

    /// <summary>Gets the contract's mode (<c>enforce</c> or <c>shadow</c>).</summary>
    public required string Mode { get; init; }

    public required string ContractVersion { get; init; }

    /// <summary>Gets the overall level in force.</summary>
    public required string Level { get; init; }

    public required HistoryThresholds HeapThresholds { get; init; }

    public required HistorySnapshot[] Snapshots { get; init; }

    public required HistoryLevelChange[] LevelChanges { get; init; }

    /// <param name="view">The recorded history.</param>
    /// <param name="contract">The contract in force.</param>
    /// <param name="current">The snapshot in force; <see cref="MemoryPressureSnapshot.Initial"/> before the guard's first sample.</param>
    public static HistoryDocument Create(DashboardHistoryView view, MemoryContract contract, MemoryPressureSnapshot current)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(current);
        var sampled = !ReferenceEquals(current, MemoryPressureSnapshot.Initial);
        var snapshots = new HistorySnapshot[view.Points.Length + (sampled ? 1 : 0)];
        for (var i = 0; i < view.Points.Length; i++)
        {
            snapshots[i] = HistorySnapshot.From(view.Points[i]);
        }

        if (sampled)
        {
            snapshots[^1] = HistorySnapshot.From(new DashboardPoint(view.Now, current));
        }

        var changes = new HistoryLevelChange[view.LevelChanges.Length];
        for (var i = 0; i < changes.Length; i++)
        {
            changes[i] = HistoryLevelChange.Of(view.LevelChanges[i]);
        }

        return new HistoryDocument
        {
            Now = view.Now,
            WindowSeconds = (int)DashboardHistory.Window.TotalSeconds,
            SamplingIntervalMs = (long)contract.SamplingInterval.TotalMilliseconds,
            Mode = contract.Mode == MemoryContractMode.Shadow ? "shadow" : "enforce",
            ContractVersion = sampled ? current.ContractVersion : contract.Version,
            Level = MemoryContractsMetrics.LevelName(current.Level),
            HeapThresholds = HistoryThresholds.From(contract.Escalation.Heap),
            Snapshots = snapshots,
            LevelChanges = changes,
        };
    }
}
