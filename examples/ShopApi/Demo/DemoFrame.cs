using InventoryService;
using MemoryContracts;

namespace ShopApi.Demo;

/// <summary>One row of the demo's timeline: the state at <see cref="At"/> and what happened since the previous row.</summary>
internal sealed record DemoFrame
{
    /// <summary>Gets when, since the demo started.</summary>
    public required TimeSpan At { get; init; }

    /// <summary>Gets what the scenario is doing (calm, leaking toward a level, holding, released).</summary>
    public required string Phase { get; init; }

    /// <summary>Gets the process heap in MB (what the guard samples).</summary>
    public required double HeapMb { get; init; }

    /// <summary>Gets the heap against the shop API's budget, as published by the guard.</summary>
    public required int UsagePercent { get; init; }

    /// <summary>Gets the shop API's overall level.</summary>
    public required PressureLevel Level { get; init; }

    /// <summary>Gets the level changes since the previous row.</summary>
    public required IReadOnlyList<LevelChange> Changes { get; init; }

    /// <summary>Gets the module level changes since the previous row.</summary>
    public IReadOnlyList<ModuleLevelChange> ModuleChanges { get; init; } = [];

    /// <summary>Gets what the guard was seen doing since the previous row.</summary>
    public required IReadOnlyList<GuardAction> Actions { get; init; }

    /// <summary>Gets the requests of each module since the previous row (catalog, checkout, reports).</summary>
    public required IReadOnlyList<ModuleCounts> Requests { get; init; }

    /// <summary>Gets the MB the leak holds now.</summary>
    public required long LeakedMb { get; init; }

    /// <summary>Gets the catalog cache's estimated size in MB.</summary>
    public required double CatalogCacheMb { get; init; }

    /// <summary>Gets what the inventory's cache did since the previous row.</summary>
    public required StockCacheCounts Inventory { get; init; }
}
