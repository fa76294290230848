namespace MemoryContracts;

/// <summary>
/// A contract compiled for grading: the enforced modules in a fixed order, the process-wide
/// allocation and pause budgets they add up to, and the responder lists as sets.
/// </summary>
internal sealed class ContractPlan
{
    public ContractPlan(MemoryContract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        Contract = contract;
        Modules = [.. contract.Modules];

        double allocBudget = 0;
        double pauseBudget = double.MaxValue;
        double gcTrigger = double.MaxValue;
        foreach (var module in Modules)
        {
            allocBudget += module.AllocRateBytesPerSecond ?? 0;
            if (module.MaxGcPause is { } pause)
            {
                pauseBudget = Math.Min(pauseBudget, pause.TotalSeconds);
            }

            if (module.GcTriggerRatio is { } trigger)
            {
                gcTrigger = Math.Min(gcTrigger, trigger);
            }
        }

        ProcessAllocBudget = allocBudget;
        ProcessPauseBudgetSeconds = pauseBudget == double.MaxValue ? 0 : pauseBudget;
        ProcessGcTriggerRatio = gcTrigger == double.MaxValue ? 0 : gcTrigger;
        ShedsAt = [.. Enum.GetValues<PressureLevel>().Select(l => contract.Responses.For(l).Contains(BuiltInResponders.ShedRequests))];
    }

    public MemoryContract Contract { get; }

    public ModuleContract[] Modules { get; }

    /// <summary>Gets the sum of the modules' allocation budgets in bytes/s; 0 when none sets one (not graded).</summary>
    public double ProcessAllocBudget { get; }

    /// <summary>Gets the strictest of the modules' pause budgets in seconds; 0 when none sets one (not graded).</summary>
    public double ProcessPauseBudgetSeconds { get; }

    /// <summary>Gets the lowest of the modules' <c>gc_trigger_ratio</c>; 0 when none sets one.</summary>
    public double ProcessGcTriggerRatio { get; }

    /// <summary>Gets, by level, whether <c>shed_requests</c> is among that level's responses.</summary>
    public bool[] ShedsAt { get; }

    public int IndexOf(string module)
    {
        for (var i = 0; i < Modules.Length; i++)
        {
            if (string.Equals(Modules[i].Name, module, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// The process heap budget for a process with <paramref name="capacityBytes"/> available: the sum of
    /// the modules' heap budgets, or the capacity when no module sets one.
    /// </summary>
    public long ProcessHeapBudget(long capacityBytes)
    {
        long sum = 0;
        foreach (var module in Modules)
        {
            if (module.ResolveMaxHeapBytes(capacityBytes) is { } budget)
            {
                sum = sum > long.MaxValue - budget ? long.MaxValue : sum + budget;
            }
        }

        return sum > 0 ? sum : capacityBytes;
    }
}
