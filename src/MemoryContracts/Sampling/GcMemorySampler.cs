namespace MemoryContracts;

/// <summary>
/// The default <see cref="IMemorySampler"/>: reads the .NET GC. Live heap from
/// <see cref="GC.GetTotalMemory(bool)"/>; committed bytes, capacity and pauses from
/// <see cref="GC.GetGCMemoryInfo(GCKind)"/>, read again only after a collection happened (it is stale
/// between collections, and each read allocates). The container's working set and limit from the
/// memory cgroup (<see cref="CgroupMemoryReader"/>), when one is given; a limit change is acted on by
/// <see cref="ContainerLimitRefresh"/> and the GC's capacity is read again at once. Allocation-free
/// between collections.
/// </summary>
internal sealed class GcMemorySampler : IMemorySampler
{
    private static readonly GCKind[] PauseKinds = [GCKind.Ephemeral, GCKind.FullBlocking, GCKind.Background];

    private readonly long[] _lastIndexByKind = new long[PauseKinds.Length];
    private int _lastCollectionCount = -1;
    private long _committedBytes;
    private long _capacityBytes;
    private readonly CgroupMemoryReader? _cgroup;
    private readonly ContainerLimitRefresh? _limitRefresh;

    /// <summary>Initializes a sampler of the GC only (no container figures).</summary>
    public GcMemorySampler()
    {
    }

    /// <summary>Initializes a sampler of the GC and the container's memory cgroup.</summary>
    /// <param name="cgroup">Reads the working set and limit; figures are null when it has none.</param>
    /// <param name="limitRefresh">Acts on limit changes; none when null.</param>
    public GcMemorySampler(CgroupMemoryReader? cgroup, ContainerLimitRefresh? limitRefresh)
    {
        _cgroup = cgroup;
        _limitRefresh = limitRefresh;
    }

    public MemorySample Sample()
    {
        var container = _cgroup?.Read() ?? ContainerMemoryReading.Unavailable;
        if (_limitRefresh is not null && _limitRefresh.Observe(container))
        {
            // The runtime took the new limit: read its capacity again now, not at the next collection.
            var any = GC.GetGCMemoryInfo(GCKind.Any);
            _capacityBytes = any.TotalAvailableMemoryBytes;
            _committedBytes = any.TotalCommittedBytes;
        }

        var heap = GC.GetTotalMemory(forceFullCollection: false);
        var allocated = GC.GetTotalAllocatedBytes(precise: false);
        var totalPause = GC.GetTotalPauseDuration();
        var maxPause = TimeSpan.Zero;

        // Every collection, of any generation, counts as a gen-0 collection.
        var collections = GC.CollectionCount(0);
        if (collections != _lastCollectionCount)
        {
            var first = _lastCollectionCount < 0;
            _lastCollectionCount = collections;
            maxPause = RefreshFromGcInfo(countPauses: !first);
        }

        return new MemorySample
        {
            HeapBytes = heap,
            CommittedBytes = _committedBytes,
            CapacityBytes = _capacityBytes,
            TotalAllocatedBytes = allocated,
            TotalPauseDuration = totalPause,
            MaxPauseSinceLastSample = maxPause,
            WorkingSetBytes = container.WorkingSetBytes,
            ContainerLimitBytes = container.LimitBytes,
        };
    }

    private TimeSpan RefreshFromGcInfo(bool countPauses)
    {
        var maxPause = TimeSpan.Zero;
        long newestIndex = -1;
        for (var i = 0; i < PauseKinds.Length; i++)
        {
            var info = GC.GetGCMemoryInfo(PauseKinds[i]);
            if (info.Index == 0 || info.Index == _lastIndexByKind[i])
            {
                continue;
            }

            _lastIndexByKind[i] = info.Index;
            if (countPauses)
            {
                foreach (var pause in info.PauseDurations)
                {
                    if (pause > maxPause)
                    {
                        maxPause = pause;
                    }
                }
            }

            if (info.Index > newestIndex)
            {
                newestIndex = info.Index;
                _committedBytes = info.TotalCommittedBytes;
                _capacityBytes = info.TotalAvailableMemoryBytes;
            }
        }

        if (_capacityBytes == 0)
        {
            // No collection of these kinds yet: the capacity is still known.
            var any = GC.GetGCMemoryInfo(GCKind.Any);
            _capacityBytes = any.TotalAvailableMemoryBytes;
            _committedBytes = any.TotalCommittedBytes;
        }

        return maxPause;
    }
}
