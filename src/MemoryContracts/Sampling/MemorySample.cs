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

    /// <summary>
    /// Gets the container's working set in bytes: what the kernel's OOM killer and the kubelet count
    /// (cgroup usage minus inactive file pages); <see langword="null"/> when it is not known (not in a
    /// memory cgroup, or the sampler does not read it).
    /// </summary>
    public long? WorkingSetBytes { get; init; }

    /// <summary>
    /// Gets the container's memory limit in bytes (the tightest of the cgroup and its parents);
    /// <see langword="null"/> when there is none or it is not known.
    /// </summary>
    public long? ContainerLimitBytes { get; init; }
}
