namespace MemoryContracts;

/// <summary>
/// The grade of one sample: what the next grading carries on (the ladders, the heap trend, the last
/// allocation reading) and this sample's figures (ratios, budget, levels). Written once, by
/// <see cref="PressureEvaluator.Evaluate"/> (or <see cref="Carry"/> on a contract change), then only
/// read: the guard alternates two instances so grading allocates nothing.
/// </summary>
internal sealed class GuardState
{
    public GuardState(int moduleCount)
    {
        ModuleLadders = new LadderState[moduleCount];
        ModuleHeapRatios = new double[moduleCount];
        ModuleAllocRatios = new double[moduleCount];
        ModulePauseRatios = new double[moduleCount];
    }

    // Carried from one sample to the next.
    public LadderState ProcessLadder { get; set; }

    public LadderState[] ModuleLadders { get; }

    public HeapTrend Trend { get; set; }

    /// <summary>Gets or sets the last three working-set readings (empty while the working set is not graded).</summary>
    public HeapTrend WorkingSetTrend { get; set; }

    public bool HasPrevious { get; set; }

    public long PreviousAllocatedBytes { get; set; }

    public long PreviousTimestamp { get; set; }

    // This sample's figures.

    /// <summary>Gets or sets the overall level: the highest of the process's and the modules' levels.</summary>
    public PressureLevel Overall { get; set; }

    public long CapacityBytes { get; set; }

    public long ProcessBudgetBytes { get; set; }

    public long HeapBytes { get; set; }

    public double ProcessHeapRatio { get; set; }

    public double AllocRateBytesPerSecond { get; set; }

    public double ProcessAllocRatio { get; set; }

    public double ProcessPauseRatio { get; set; }

    /// <summary>Gets or sets the container working set of the sample; null when it is not known.</summary>
    public long? WorkingSetBytes { get; set; }

    /// <summary>Gets or sets the container limit the sample reported (the cgroup's); null when none.</summary>
    public long? SampleContainerLimitBytes { get; set; }

    /// <summary>Gets or sets the limit the working set is graded against (<c>container.limit_mb</c>, else the cgroup's); null when none.</summary>
    public long? ContainerLimitBytes { get; set; }

    /// <summary>Gets or sets the working set against <see cref="ContainerLimitBytes"/>; null when the working set is not graded.</summary>
    public double? WorkingSetRatio { get; set; }

    /// <summary>Gets a value indicating whether the working set is the binding constraint: its ratio is above the heap's.</summary>
    public bool WorkingSetBinds => WorkingSetRatio is { } ratio && ratio > ProcessHeapRatio;

    /// <summary>Gets the ratio of the binding constraint: the higher of the heap's and the working set's.</summary>
    public double BindingRatio => WorkingSetBinds ? WorkingSetRatio!.Value : ProcessHeapRatio;

    /// <summary>Gets the capacity of the binding constraint: the container limit when the working set binds, else the process budget.</summary>
    public long BindingCapacityBytes => WorkingSetBinds ? ContainerLimitBytes!.Value : ProcessBudgetBytes;

    /// <summary>Gets or sets a value indicating whether this sample escalated on the predicted heap or working set.</summary>
    public bool PredictedCritical { get; set; }

    public double[] ModuleHeapRatios { get; }

    public double[] ModuleAllocRatios { get; }

    public double[] ModulePauseRatios { get; }

    /// <summary>
    /// The state under a new plan: the process ladder and what the next grading needs carried over,
    /// each surviving module's ladder and ratios (matched by name), the heap re-rated against the new
    /// plan's budget, and the overall level derived again. A new module starts at Normal.
    /// </summary>
    public static GuardState Carry(GuardState previous, ContractPlan previousPlan, ContractPlan plan)
    {
        var budget = plan.ProcessHeapBudget(previous.CapacityBytes);
        var state = new GuardState(plan.Modules.Length)
        {
            ProcessLadder = previous.ProcessLadder,
            Trend = previous.Trend,
            WorkingSetTrend = previous.WorkingSetTrend,
            WorkingSetBytes = previous.WorkingSetBytes,
            SampleContainerLimitBytes = previous.SampleContainerLimitBytes,
            ContainerLimitBytes = PressureEvaluator.GradedLimit(plan, previous.SampleContainerLimitBytes),
            WorkingSetRatio = PressureEvaluator.WorkingSetRatio(plan, previous.WorkingSetBytes, previous.SampleContainerLimitBytes),
            HasPrevious = previous.HasPrevious,
            PreviousAllocatedBytes = previous.PreviousAllocatedBytes,
            PreviousTimestamp = previous.PreviousTimestamp,
            CapacityBytes = previous.CapacityBytes,
            ProcessBudgetBytes = budget,
            HeapBytes = previous.HeapBytes,
            ProcessHeapRatio = budget > 0 ? previous.HeapBytes / (double)budget : 0,
            AllocRateBytesPerSecond = previous.AllocRateBytesPerSecond,
            ProcessAllocRatio = previous.ProcessAllocRatio,
            ProcessPauseRatio = previous.ProcessPauseRatio,
        };

        var overall = state.ProcessLadder.Level;
        for (var i = 0; i < plan.Modules.Length; i++)
        {
            var old = previousPlan.IndexOf(plan.Modules[i].Name);
            if (old >= 0)
            {
                state.ModuleLadders[i] = previous.ModuleLadders[old];
                state.ModuleHeapRatios[i] = previous.ModuleHeapRatios[old];
                state.ModuleAllocRatios[i] = previous.ModuleAllocRatios[old];
                state.ModulePauseRatios[i] = previous.ModulePauseRatios[old];
                overall = state.ModuleLadders[i].Level > overall ? state.ModuleLadders[i].Level : overall;
            }
        }

        state.Overall = overall;
        return state;
    }
}
