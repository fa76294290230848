using MemoryContracts;

namespace ShopApi.Demo;

/// <summary>
/// The demo's contracts, built in code rather than read from the root memory_contract.yaml: the
/// demo must reach every level within seconds on any machine, so its budget is the heap measured at
/// start plus <see cref="DemoSettings.HeadroomMb"/>, and it samples faster. Escalation ratios and
/// responses are the defaults, but for <c>snapshot</c> (left out so the demo writes no files).
/// </summary>
internal static class DemoContract
{
    /// <summary>The shop API's contract: modules catalog, checkout (core) and reports.</summary>
    public static MemoryContract ForShop(DemoSettings settings, long baselineHeapBytes)
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
                High = ["alert", "trim_caches", "tighten_gc"],
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
