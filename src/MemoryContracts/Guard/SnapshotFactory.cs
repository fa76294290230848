namespace MemoryContracts;

/// <summary>
/// Turns a graded state into the snapshot the guard publishes, and tells whether a graded state
/// differs from the published snapshot in anything a reader sees (levels, integer percents of the
/// binding constraint, the heap and the working set, capacity, container limit, shed fraction, plan): the published snapshot is the only record of what was published.
/// </summary>
internal static class SnapshotFactory
{
    public static MemoryPressureSnapshot Create(ContractPlan plan, GuardState state, DateTimeOffset timestamp)
    {
        var modules = new ModulePressure[plan.Modules.Length];
        for (var i = 0; i < modules.Length; i++)
        {
            modules[i] = new ModulePressure(plan.Modules[i].Name, state.ModuleLadders[i].Level, state.ModuleHeapRatios[i], state.ModuleAllocRatios[i], state.ModulePauseRatios[i]);
        }

        return new MemoryPressureSnapshot(state.Overall, Percent(state.BindingRatio), state.BindingCapacityBytes, timestamp, modules)
        {
            WorkingSetBytes = state.WorkingSetBytes,
            ContainerLimitBytes = state.ContainerLimitBytes,
            WorkingSetRatio = state.WorkingSetRatio,
            ProcessLevel = state.ProcessLadder.Level,
            HeapBytes = state.HeapBytes,
            HeapRatio = state.ProcessHeapRatio,
            ShedFraction = PressureEvaluator.ShedFraction(plan, state.Overall, state.ProcessHeapRatio, state.WorkingSetRatio),
            WouldShedFraction = PressureEvaluator.WouldShedFraction(plan, state.Overall, state.ProcessHeapRatio, state.WorkingSetRatio),
            Plan = plan,
        };
    }

    /// <summary>Whether publishing <paramref name="state"/> would show a reader anything new. Allocation-free.</summary>
    public static bool Differs(MemoryPressureSnapshot published, ContractPlan plan, GuardState state)
    {
        if (!ReferenceEquals(published.Plan, plan)
            || published.Level != state.Overall
            || published.ProcessLevel != state.ProcessLadder.Level
            || published.UsagePercent != Percent(state.BindingRatio)
            || published.CapacityBytes != state.BindingCapacityBytes
            || published.ContainerLimitBytes != state.ContainerLimitBytes
            || Percent(published.WorkingSetRatio ?? -1) != Percent(state.WorkingSetRatio ?? -1)
            || Percent(published.WouldShedFraction) != Percent(PressureEvaluator.WouldShedFraction(plan, state.Overall, state.ProcessHeapRatio, state.WorkingSetRatio))
            || published.Modules.Count != plan.Modules.Length)
        {
            return true;
        }

        for (var i = 0; i < plan.Modules.Length; i++)
        {
            var module = published.Modules[i];
            if (module.Level != state.ModuleLadders[i].Level || Percent(module.HeapRatio) != Percent(state.ModuleHeapRatios[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The level of <paramref name="module"/> in <paramref name="published"/>; Normal when it was not there.</summary>
    public static PressureLevel PublishedLevel(MemoryPressureSnapshot published, string module)
    {
        foreach (var m in published.Modules)
        {
            if (string.Equals(m.Module, module, StringComparison.Ordinal))
            {
                return m.Level;
            }
        }

        return PressureLevel.Normal;
    }

    public static int Percent(double ratio) => ratio >= int.MaxValue / 100.0 ? int.MaxValue : (int)Math.Round(ratio * 100, MidpointRounding.AwayFromZero);
}
