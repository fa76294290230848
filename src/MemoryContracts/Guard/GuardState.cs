namespace MemoryContracts;

/// <summary>
/// The grading state carried from one sample to the next, and the figures of the latest sample.
/// Sized once per contract; grading a sample writes into it and allocates nothing.
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

    public LadderState ProcessLadder { get; set; }

    public LadderState[] ModuleLadders { get; }

    public HeapTrend Trend { get; set; }

    public bool HasPrevious { get; set; }

    public long PreviousAllocatedBytes { get; set; }

    public long PreviousTimestamp { get; set; }

    /// <summary>Gets or sets the overall level: the highest of the process's and the modules' levels.</summary>
    public PressureLevel Overall { get; set; }

    public long ProcessBudgetBytes { get; set; }

    public long HeapBytes { get; set; }

    public double ProcessHeapRatio { get; set; }

    public double AllocRateBytesPerSecond { get; set; }

    public double ProcessAllocRatio { get; set; }

    public double ProcessPauseRatio { get; set; }

    /// <summary>Gets or sets a value indicating whether the last sample escalated on the predicted heap.</summary>
    public bool PredictedCritical { get; set; }

    public double[] ModuleHeapRatios { get; }

    public double[] ModuleAllocRatios { get; }

    public double[] ModulePauseRatios { get; }

    /// <summary>Copies the ladders of modules that survive a contract change (matched by name).</summary>
    public static GuardState Carry(GuardState previous, ContractPlan previousPlan, ContractPlan plan)
    {
        var state = new GuardState(plan.Modules.Length)
        {
            ProcessLadder = previous.ProcessLadder,
            Trend = previous.Trend,
            HasPrevious = previous.HasPrevious,
            PreviousAllocatedBytes = previous.PreviousAllocatedBytes,
            PreviousTimestamp = previous.PreviousTimestamp,
            Overall = previous.Overall,
        };

        for (var i = 0; i < plan.Modules.Length; i++)
        {
            var old = previousPlan.IndexOf(plan.Modules[i].Name);
            if (old >= 0)
            {
                state.ModuleLadders[i] = previous.ModuleLadders[old];
            }
        }

        return state;
    }
}
