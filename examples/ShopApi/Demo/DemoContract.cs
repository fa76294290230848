using MemoryContracts;

namespace ShopApi.Demo;

/// <summary>
/// The demo's contracts, built in code rather than read from the root memory_contract.yaml: the
/// demo must reach every level within seconds on any machine, so its budget is the heap measured at
/// start plus <see cref="DemoSettings.HeadroomMb"/>, and it samples faster. Escalation ratios and
/// responses are the defaults; <c>snapshot</c> (at High) writes into the demo's own directory.
/// </summary>
internal static class DemoContract
{
    /// <summary>The shop API's contract: modules catalog, checkout (core) and reports.</summary>
    /// <param name="settings">Sizes and pace.</param>
    /// <param name="baselineHeapBytes">The heap measured at start.</param>
    /// <param name="snapshotDirectory">Where <c>snapshot</c> writes its files.</param>
    public static MemoryContract ForShop(DemoSettings settings, long baselineHeapBytes, string snapshotDirectory)
    {
        const long MB = 1024 * 1024;
        var moduleBudget = settings.ModuleBudgetMb * MB;
        var total = baselineHeapBytes + (settings.HeadroomMb * MB);
        return new MemoryContract
        {
            Version = "demo-1",
            SamplingInterval = settings.SamplingInterval,
            Modules =
            [
                new ModuleContract { Name = "catalog", MaxHeapBytes = moduleBudget, Priority = 40, Routes = ["/catalog"] },
                new ModuleContract { Name = "checkout", MaxHeapBytes = moduleBudget, Core = true, Priority = 100, Routes = ["/checkout"] },
                new ModuleContract { Name = "reports", MaxHeapBytes = total - (2 * moduleBudget), Priority = 10, Routes = ["/reports"] },
            ],
            Escalation = new EscalationPolicy { RecoverySamples = settings.RecoverySamples },
            Responses = new ResponsePolicy
            {
                Snapshot = new SnapshotPolicy { Directory = snapshotDirectory },
            },
        };
    }

    /// <summary>
    /// The inventory service's contract. In the demo both services share one process (and so one
    /// heap): the inventory's budget is set far above it, so that only the shop API reacts to the
    /// leak and the inventory shows the caller's pressure alone.
    /// </summary>
    public static MemoryContract ForInventory(DemoSettings settings) => new()
    {
        Version = "demo-1",
        SamplingInterval = settings.SamplingInterval,
        Modules = [new ModuleContract { Name = "inventory", MaxHeapBytes = 64L * 1024 * 1024 * 1024, Core = true, Routes = ["/inventory"] }],
    };
}
