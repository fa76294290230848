namespace MemoryContracts;

/// <summary>
/// One reading of the process's memory cgroup. Each figure is null when it is not available
/// (no cgroup, a file missing, unreadable or garbled; the reader's <c>Problem</c> says why).
/// </summary>
/// <param name="WorkingSetBytes">
/// What the kernel's OOM killer and the kubelet count: usage minus the inactive file pages (page
/// cache the kernel can drop), clamped at 0.
/// </param>
/// <param name="LimitBytes">The tightest memory limit of the cgroup and its parents; null when there is none.</param>
/// <param name="UsageBytes">v2 <c>memory.current</c>, v1 <c>memory.usage_in_bytes</c>: everything charged, page cache included.</param>
/// <param name="InactiveFileBytes">v2 <c>inactive_file</c>, v1 <c>total_inactive_file</c> of <c>memory.stat</c>.</param>
/// <param name="IsLimitKnown">
/// Whether the limit was read: then a null <paramref name="LimitBytes"/> means the cgroup has no limit;
/// otherwise the limit is not available (the reader's <c>Problem</c> says why).
/// </param>
internal readonly record struct ContainerMemoryReading(long? WorkingSetBytes, long? LimitBytes, long? UsageBytes, long? InactiveFileBytes, bool IsLimitKnown)
{
    /// <summary>Gets a reading with nothing available.</summary>
    public static ContainerMemoryReading Unavailable => default;

    /// <summary>Gets the working set against the limit, when both are known and the limit is positive.</summary>
    public double? WorkingSetRatio => WorkingSetBytes is { } workingSet && LimitBytes is { } limit && limit > 0 ? (double)workingSet / limit : null;
}
