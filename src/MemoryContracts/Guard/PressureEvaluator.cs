namespace MemoryContracts;

/// <summary>
/// The grading function: (previous state, plan, sample) → new state. Computes the process's and each module's
/// ratios (DESIGN §4), steps their ladders, applies the predictive step, and derives the overall level.
/// Deterministic, no clock, no I/O, no allocation: test it without hosts or timers.
/// </summary>
internal static class PressureEvaluator
{
    /// <summary>
    /// Grades one sample: reads what <paramref name="previous"/> carries (ladders, trend, the last
    /// allocation reading) and returns the new state. <paramref name="previous"/> is never changed.
    /// </summary>
    /// <param name="previous">The state after the previous sample (a fresh one before the first).</param>
    /// <param name="plan">The compiled contract.</param>
    /// <param name="sample">The sample.</param>
    /// <param name="timestamp">When the sample was taken, in <see cref="TimeProvider"/> timestamp ticks.</param>
    /// <param name="timestampFrequency">Ticks per second of <paramref name="timestamp"/>.</param>
    /// <param name="ownedBytes">The bytes each module owns (its caches and trimmables), in plan order.</param>
    /// <param name="into">
    /// Where to write the new state (every figure is overwritten), so the guard can alternate two
    /// buffers and allocate nothing; <see langword="null"/> for a new instance. Must not be <paramref name="previous"/>.
    /// </param>
    /// <returns>The new state: <paramref name="into"/>, or a new instance.</returns>
    public static GuardState Evaluate(GuardState previous, ContractPlan plan, in MemorySample sample, long timestamp, long timestampFrequency, ReadOnlySpan<long> ownedBytes, GuardState? into = null)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(plan);
        var state = into ?? new GuardState(plan.Modules.Length);
        if (ReferenceEquals(state, previous) || state.ModuleLadders.Length != plan.Modules.Length || previous.ModuleLadders.Length != plan.Modules.Length)
        {
            throw new ArgumentException("The new state must be a distinct buffer sized for the plan's modules.", nameof(into));
        }

        var escalation = plan.Contract.Escalation;
        var consecutive = escalation.Consecutive;
        var recovery = escalation.RecoverySamples;

        // Allocation rate from the allocated-bytes delta over the elapsed time.
        double allocRate = 0;
        if (previous.HasPrevious && timestamp > previous.PreviousTimestamp)
        {
            var seconds = (timestamp - previous.PreviousTimestamp) / (double)timestampFrequency;
            allocRate = Math.Max(0, sample.TotalAllocatedBytes - previous.PreviousAllocatedBytes) / seconds;
        }

        state.HasPrevious = true;
        state.PreviousAllocatedBytes = sample.TotalAllocatedBytes;
        state.PreviousTimestamp = timestamp;
        state.AllocRateBytesPerSecond = allocRate;
        var pauseSeconds = sample.MaxPauseSinceLastSample.TotalSeconds;

        // The process as a whole.
        var budget = plan.ProcessHeapBudget(sample.CapacityBytes);
        state.ProcessBudgetBytes = budget;
        state.HeapBytes = sample.HeapBytes;
        state.CapacityBytes = sample.CapacityBytes;
        state.ProcessHeapRatio = Ratio(sample.HeapBytes, budget);
        state.ProcessAllocRatio = plan.ProcessAllocBudget > 0 ? allocRate / plan.ProcessAllocBudget : 0;
        state.ProcessPauseRatio = plan.ProcessPauseBudgetSeconds > 0 ? pauseSeconds / plan.ProcessPauseBudgetSeconds : 0;

        // The container: the working set against the limit (container.limit_mb, else the cgroup's).
        state.WorkingSetBytes = sample.WorkingSetBytes;
        state.SampleContainerLimitBytes = sample.ContainerLimitBytes;
        var limit = GradedLimit(plan, sample.ContainerLimitBytes);
        state.ContainerLimitBytes = limit;
        state.WorkingSetRatio = WorkingSetRatio(plan, sample.WorkingSetBytes, sample.ContainerLimitBytes);

        var warranted = Max(
            PressureLadder.Warranted(state.ProcessHeapRatio, escalation.Heap),
            PressureLadder.Warranted(state.ProcessAllocRatio, escalation.AllocRate),
            PressureLadder.Warranted(state.ProcessPauseRatio, escalation.GcPause));
        if (state.WorkingSetRatio is { } workingSetRatio)
        {
            warranted = Max(warranted, PressureLadder.Warranted(workingSetRatio, escalation.WorkingSet));
        }

        // Predictive step: would the heap cross the critical threshold, or the capacity, within the
        // next consecutive.critical samples at its recent growth rate? And the working set, its
        // critical threshold of the container limit?
        state.Trend = previous.Trend.Add(sample.HeapBytes, timestamp);
        state.WorkingSetTrend = state.WorkingSetRatio is not null ? previous.WorkingSetTrend.Add(sample.WorkingSetBytes!.Value, timestamp) : default;
        var predicted = false;
        if (previous.ProcessLadder.Level < PressureLevel.Critical)
        {
            var horizon = consecutive.Critical * plan.Contract.SamplingInterval.TotalSeconds;
            if (budget > 0 && state.Trend.Project(horizon, timestampFrequency) is { } projected)
            {
                predicted = projected >= escalation.Heap.Critical * budget
                    || (sample.CapacityBytes > 0 && projected >= sample.CapacityBytes);
            }

            if (!predicted && limit is { } graded && state.WorkingSetRatio is not null
                && state.WorkingSetTrend.Project(horizon, timestampFrequency) is { } projectedWorkingSet)
            {
                predicted = projectedWorkingSet >= escalation.WorkingSet.Critical * graded;
            }
        }

        state.PredictedCritical = predicted;
        state.ProcessLadder = PressureLadder.Step(previous.ProcessLadder, warranted, consecutive, recovery, predicted);
        var overall = state.ProcessLadder.Level;

        // Each module, on what it owns against its own heap budget.
        for (var i = 0; i < plan.Modules.Length; i++)
        {
            var module = plan.Modules[i];
            var owned = i < ownedBytes.Length ? ownedBytes[i] : 0;
            var heapRatio = module.ResolveMaxHeapBytes(sample.CapacityBytes) is { } moduleBudget ? Ratio(owned, moduleBudget) : 0;
            state.ModuleHeapRatios[i] = heapRatio;
            state.ModuleAllocRatios[i] = module.AllocRateBytesPerSecond is { } allocBudget and > 0 ? allocRate / allocBudget : 0;
            state.ModulePauseRatios[i] = module.MaxGcPause is { } pause && pause > TimeSpan.Zero ? pauseSeconds / pause.TotalSeconds : 0;

            var ladder = PressureLadder.Step(previous.ModuleLadders[i], PressureLadder.Warranted(heapRatio, escalation.Heap), consecutive, recovery);
            state.ModuleLadders[i] = ladder;
            overall = Max(overall, ladder.Level);
        }

        state.Overall = overall;
        return state;
    }

    /// <summary>
    /// The limit the working set is graded against: <c>container.limit_mb</c>, else the sample's
    /// container limit; null when neither is set.
    /// </summary>
    public static long? GradedLimit(ContractPlan plan, long? sampleLimitBytes) =>
        plan.Contract.Container.LimitBytes ?? (sampleLimitBytes is > 0 ? sampleLimitBytes : null);

    /// <summary>
    /// The working set against the graded limit; null when it is not graded: <c>container.enabled: false</c>,
    /// no working set, or no limit (<c>auto</c> and <c>true</c> both need one to grade against).
    /// </summary>
    public static double? WorkingSetRatio(ContractPlan plan, long? workingSetBytes, long? sampleLimitBytes) =>
        plan.Contract.Container.Enabled != ContainerMode.Disabled && workingSetBytes is { } workingSet && GradedLimit(plan, sampleLimitBytes) is { } limit and > 0
            ? workingSet / (double)limit
            : null;

    /// <summary>
    /// The fraction of eligible requests to shed, the one the middleware acts on: <see cref="WouldShedFraction"/>
    /// in <c>enforce</c> mode, always 0 in <c>shadow</c>. The one place the mode decides shedding.
    /// </summary>
    public static double ShedFraction(ContractPlan plan, PressureLevel level, double processHeapRatio, double? workingSetRatio = null) =>
        plan.IsShadow ? 0 : WouldShedFraction(plan, level, processHeapRatio, workingSetRatio);

    /// <summary>
    /// The fraction of eligible requests the contract's shedding warrants, whatever the mode: 1 at a
    /// level whose responses include <c>shed_requests</c>; with <c>scaled</c>, at High when Critical
    /// sheds, the binding ratio's position between its high and critical thresholds (the heap's, or the
    /// working set's when that is further along); 0 otherwise.
    /// </summary>
    public static double WouldShedFraction(ContractPlan plan, PressureLevel level, double processHeapRatio, double? workingSetRatio = null)
    {
        var contract = plan.Contract;
        if (plan.ShedsAt[(int)level])
        {
            return 1;
        }

        if (level == PressureLevel.High && contract.Responses.Shed.Scaled && plan.ShedsAt[(int)PressureLevel.Critical])
        {
            var heap = contract.Escalation.Heap;
            var fraction = Math.Clamp((processHeapRatio - heap.High) / (heap.Critical - heap.High), 0, 1);
            if (workingSetRatio is { } ratio)
            {
                var workingSet = contract.Escalation.WorkingSet;
                fraction = Math.Max(fraction, Math.Clamp((ratio - workingSet.High) / (workingSet.Critical - workingSet.High), 0, 1));
            }

            return fraction;
        }

        return 0;
    }

    private static double Ratio(long value, long budget) => budget > 0 ? value / (double)budget : 0;

    private static PressureLevel Max(PressureLevel a, PressureLevel b) => a > b ? a : b;

    private static PressureLevel Max(PressureLevel a, PressureLevel b, PressureLevel c) => Max(Max(a, b), c);
}
