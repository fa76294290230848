namespace MemoryContracts;

/// <summary>
/// The default <see cref="ILeakSampler"/>: the heap left after the newest full (gen 2) collection,
/// blocking (<see cref="GCKind.FullBlocking"/>) or background (<see cref="GCKind.Background"/>),
/// whichever has the higher <see cref="GCMemoryInfo.Index"/>, with <see cref="ThreadPool.ThreadCount"/>
/// and <see cref="Timer.ActiveCount"/> read at the same time. <see cref="GC.GetGCMemoryInfo(GCKind)"/>
/// allocates, so it is read only once <see cref="GC.CollectionCount(int)"/> of gen 2 moved: between full
/// collections a read allocates nothing. Reading once per guard tick sees the newest full collection
/// of those since the last tick (several in one tick count as one). Not thread-safe (one caller).
/// </summary>
internal sealed class RuntimeLeakSampler : ILeakSampler
{
    // A background collection is counted when it starts but its GCMemoryInfo is published when it
    // ends: retry a few reads before taking the count as seen.
    private const int RetriesPerCount = 16;

    private int _seenGen2Count;
    private int _retries;
    private long _lastIndex;

    public bool TryRead(out LeakReading reading)
    {
        reading = default;
        var count = GC.CollectionCount(2);
        if (count == _seenGen2Count)
        {
            return false;
        }

        var blocking = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        var background = GC.GetGCMemoryInfo(GCKind.Background);
        var newest = background.Index > blocking.Index ? background : blocking;
        if (newest.Index == 0 || newest.Index <= _lastIndex)
        {
            if (++_retries >= RetriesPerCount)
            {
                _seenGen2Count = count;
                _retries = 0;
            }

            return false;
        }

        _seenGen2Count = count;
        _retries = 0;
        _lastIndex = newest.Index;
        reading = new LeakReading(newest.Index, newest.HeapSizeBytes, ThreadPool.ThreadCount, Timer.ActiveCount);
        return true;
    }
}
