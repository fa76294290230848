namespace MemoryContracts;

/// <summary>
/// One reading of the process's memory, taken by an <see cref="IMemorySampler"/>.
/// </summary>
public readonly record struct MemorySample
{
    /// <summary>Gets the live managed heap in bytes.</summary>
    public long HeapBytes { get; init; }

    /// <summary>Gets the memory the GC has committed, in bytes.</summary>
    public long CommittedBytes { get; init; }

    /// <summary>
    /// Gets the memory available to the process in bytes (honours container limits and
    /// <c>GCHeapHardLimit</c>).
    /// </summary>
    public long CapacityBytes { get; init; }

    /// <summary>Gets the bytes allocated since the process started (monotonic).</summary>
    public long TotalAllocatedBytes { get; init; }

    /// <summary>Gets the total time the GC has paused the process since it started (monotonic).</summary>
    public TimeSpan TotalPauseDuration { get; init; }

    /// <summary>Gets the longest single GC pause observed since the previous sample.</summary>
    public TimeSpan MaxPauseSinceLastSample { get; init; }
}
