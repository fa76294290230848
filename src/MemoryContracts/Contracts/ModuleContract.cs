namespace MemoryContracts;

/// <summary>
/// The memory contract of one module (an entry of <c>modules</c> in the contract file). An absent
/// budget means that metric is not graded for the module.
/// </summary>
public sealed class ModuleContract
{
    /// <summary>Gets the module's name (<c>name</c>). Required.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the heap budget in bytes (<c>max_heap_mb</c>), or <see langword="null"/>.</summary>
    public long? MaxHeapBytes { get; init; }

    /// <summary>
    /// Gets the heap budget as a percent of the memory available to the process (<c>max_heap_percent</c>),
    /// resolved at run time against <see cref="MemorySample.CapacityBytes"/>, or <see langword="null"/>.
    /// </summary>
    public double? MaxHeapPercent { get; init; }

    /// <summary>Gets the allocation-rate budget in bytes per second (<c>alloc_rate_mb_per_sec</c>), or <see langword="null"/>.</summary>
    public double? AllocRateBytesPerSecond { get; init; }

    /// <summary>Gets the heap ratio at which the GC is tightened (<c>gc_trigger_ratio</c>, in (0, 1]), or <see langword="null"/>.</summary>
    public double? GcTriggerRatio { get; init; }

    /// <summary>Gets the longest acceptable GC pause (<c>required_gc_pauses_ms</c>), or <see langword="null"/>.</summary>
    public TimeSpan? MaxGcPause { get; init; }

    /// <summary>Gets a value indicating whether the module is core: never shed, trimmed last. The default value is <see langword="false"/>.</summary>
    public bool Core { get; init; }

    /// <summary>Gets the shed and trim order among non-core modules, lowest first. The default value is 50.</summary>
    public int Priority { get; init; } = ModuleDefaults.Priority;

    /// <summary>Gets the path prefixes this module owns. Endpoint metadata wins over routes. The default value is empty.</summary>
    public IReadOnlyList<string> Routes { get; init; } = [];

    /// <summary>
    /// Gets the heap budget in bytes for a process that has <paramref name="capacityBytes"/> available:
    /// <see cref="MaxHeapBytes"/>, else <see cref="MaxHeapPercent"/> of the capacity, else <see langword="null"/>.
    /// </summary>
    internal long? ResolveMaxHeapBytes(long capacityBytes)
    {
        if (MaxHeapBytes is { } bytes)
        {
            return bytes;
        }

        if (MaxHeapPercent is { } percent && capacityBytes > 0)
        {
            return Math.Max(1, (long)(capacityBytes * (percent / 100.0)));
        }

        return null;
    }
}
