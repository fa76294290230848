namespace MemoryContracts;

/// <summary>
/// When the guard steps up and down (<c>escalation</c> in the contract file). Ratios are of each
/// module's own budget.
/// </summary>
public sealed class EscalationPolicy
{
    /// <summary>Gets the heap ratio thresholds. The default value is 0.80 / 0.90 / 0.95.</summary>
    public LevelRatios Heap { get; init; } = new(0.80, 0.90, 0.95);

    /// <summary>Gets the allocation-rate ratio thresholds. The default value is 1.0 / 1.5 / 2.0.</summary>
    public LevelRatios AllocRate { get; init; } = new(1.0, 1.5, 2.0);

    /// <summary>Gets the GC-pause ratio thresholds. The default value is 1.0 / 1.5 / 2.0.</summary>
    public LevelRatios GcPause { get; init; } = new(1.0, 1.5, 2.0);

    /// <summary>Gets the thresholds of the container's working set against its memory limit (<c>working_set</c>). The default value is 0.80 / 0.90 / 0.95.</summary>
    public LevelRatios WorkingSet { get; init; } = new(0.80, 0.90, 0.95);

    /// <summary>Gets how many breaching samples in a row step up to each level. The default value is 1 / 2 / 3.</summary>
    public LevelCounts Consecutive { get; init; } = new(1, 2, 3);

    /// <summary>Gets how many samples in a row below a level step down one level. The default value is 5.</summary>
    public int RecoverySamples { get; init; } = 5;
}
