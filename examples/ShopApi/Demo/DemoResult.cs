using InventoryService;
using MemoryContracts;

namespace ShopApi.Demo;

/// <summary>What a demo run showed, and whether it showed everything it should.</summary>
internal sealed record DemoResult
{
    /// <summary>Gets the reasons the run failed; empty when it passed.</summary>
    public required IReadOnlyList<string> Failures { get; init; }

    /// <summary>Gets a value indicating whether the run went Normal → Elevated → High → Critical → Normal with checkout never shed.</summary>
    public bool Passed => Failures.Count == 0;

    /// <summary>Gets how long the run took.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>Gets the shop API's budget in MB (the heap at start plus the headroom).</summary>
    public required double BudgetMb { get; init; }

    /// <summary>Gets the heap measured at start, in MB.</summary>
    public required double BaselineMb { get; init; }

    /// <summary>Gets the highest heap seen, in MB.</summary>
    public required double PeakHeapMb { get; init; }

    /// <summary>Gets the most the leak held, in MB.</summary>
    public required long PeakLeakedMb { get; init; }

    /// <summary>Gets every level change, in order.</summary>
    public required IReadOnlyList<LevelChange> Changes { get; init; }

    /// <summary>Gets every module level change, in order.</summary>
    public IReadOnlyList<ModuleLevelChange> ModuleChanges { get; init; } = [];

    /// <summary>Gets the snapshot directory (kept after the run, for a look), or <see langword="null"/>.</summary>
    public string? SnapshotDirectory { get; init; }

    /// <summary>Gets every effect of the guard seen, in order.</summary>
    public required IReadOnlyList<GuardAction> Actions { get; init; }

    /// <summary>Gets each module's totals (catalog, checkout, reports).</summary>
    public required IReadOnlyList<ModuleCounts> Requests { get; init; }

    /// <summary>Gets what the inventory's cache did over the run.</summary>
    public required StockCacheCounts Inventory { get; init; }

    /// <summary>Gets when each level was first reached, for the levels that were.</summary>
    public IReadOnlyDictionary<PressureLevel, TimeSpan> FirstReached
    {
        get
        {
            var first = new Dictionary<PressureLevel, TimeSpan> { [PressureLevel.Normal] = TimeSpan.Zero };
            foreach (var change in Changes)
            {
                first.TryAdd(change.To, change.At);
            }

            return first;
        }
    }

    /// <summary>Gets how long the service spent at each level.</summary>
    public IReadOnlyDictionary<PressureLevel, TimeSpan> TimeIn
    {
        get
        {
            var time = Enum.GetValues<PressureLevel>().ToDictionary(l => l, _ => TimeSpan.Zero);
            var level = PressureLevel.Normal;
            var since = TimeSpan.Zero;
            foreach (var change in Changes)
            {
                time[level] += change.At - since;
                level = change.To;
                since = change.At;
            }

            time[level] += Elapsed - since;
            return time;
        }
    }
}
