namespace MemoryContracts;

/// <summary>A module's pressure in the dashboard's history JSON.</summary>
internal sealed class HistoryModule
{
    public required string Name { get; init; }

    /// <summary>Gets the level's name (<c>normal</c>, <c>elevated</c>, <c>high</c>, <c>critical</c>).</summary>
    public required string Level { get; init; }

    public double? HeapRatio { get; init; }

    public double? AllocRateRatio { get; init; }

    public double? GcPauseRatio { get; init; }

    public static HistoryModule From(ModulePressure module) => new()
    {
        Name = module.Module,
        Level = MemoryContractsMetrics.LevelName(module.Level),
        HeapRatio = HistorySnapshot.Finite(module.HeapRatio),
        AllocRateRatio = HistorySnapshot.Finite(module.AllocRateRatio),
        GcPauseRatio = HistorySnapshot.Finite(module.GcPauseRatio),
    };
}
