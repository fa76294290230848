namespace MemoryContracts;

/// <summary>
/// The graded pressure of one module. A ratio is 0 when the module has no budget for that metric.
/// </summary>
public sealed class ModulePressure
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="module">The module's name.</param>
    /// <param name="level">The module's level.</param>
    /// <param name="heapRatio">What the module owns against its heap budget.</param>
    /// <param name="allocRateRatio">The process allocation rate against the module's budget.</param>
    /// <param name="gcPauseRatio">The longest recent GC pause against the module's budget.</param>
    public ModulePressure(string module, PressureLevel level, double heapRatio, double allocRateRatio, double gcPauseRatio)
    {
        Module = module;
        Level = level;
        HeapRatio = heapRatio;
        AllocRateRatio = allocRateRatio;
        GcPauseRatio = gcPauseRatio;
    }

    /// <summary>Gets the module's name.</summary>
    public string Module { get; }

    /// <summary>Gets the module's level.</summary>
    public PressureLevel Level { get; }

    /// <summary>Gets the bytes the module owns (its caches and trimmables) against its heap budget.</summary>
    public double HeapRatio { get; }

    /// <summary>Gets the process allocation rate against the module's allocation budget.</summary>
    public double AllocRateRatio { get; }

    /// <summary>Gets the longest recent GC pause against the module's pause budget.</summary>
    public double GcPauseRatio { get; }
}
