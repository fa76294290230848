namespace MemoryContracts;

/// <summary>
/// Every thread's <see cref="ThreadTallySlot"/> of one <see cref="RequestTally"/>. A thread takes its
/// slot once (<see cref="ForCurrentThread"/>, under a lock) and keeps it in a thread-static field;
/// <see cref="Sum"/> adds the slots up under the same lock, a few times a second at most (the load
/// window's checkpoints), and folds the slots of threads that have ended into retired totals, so the
/// list holds one slot per live thread that has counted, however many threads the pool has retired.
/// </summary>
internal sealed class ThreadTallySlots
{
    private readonly Lock _lock = new();
    private readonly List<ThreadTallySlot> _slots = [];
    private long _retiredRequests;
    private long _retiredErrors;

    /// <summary>Gets the number of slots held (one per live thread that has counted, plus any that ended since the last sum).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _slots.Count;
            }
        }
    }

    /// <summary>Gets the calling thread's slot, made and added on its first call.</summary>
    public ThreadTallySlot ForCurrentThread()
    {
        var thread = Thread.CurrentThread;
        lock (_lock)
        {
            foreach (var slot in _slots)
            {
                if (ReferenceEquals(slot.Thread, thread))
                {
                    return slot;
                }
            }

            RetireEndedThreads();
            var created = new ThreadTallySlot(this, thread);
            _slots.Add(created);
            return created;
        }
    }

    /// <summary>
    /// Adds up every slot: exact once the writers are done; while they run, each slot's share is a
    /// value between the before and after of its thread's latest increment. Never goes backwards.
    /// </summary>
    public (long Requests, long Errors) Sum()
    {
        lock (_lock)
        {
            RetireEndedThreads();
            var requests = _retiredRequests;
            var errors = _retiredErrors;
            foreach (var slot in _slots)
            {
                requests += Volatile.Read(ref slot.Counts.Requests);
                errors += Volatile.Read(ref slot.Counts.Errors);
            }

            return (requests, errors);
        }
    }

    /// <summary>Folds the slots of ended threads into the retired totals and drops them (their threads write no more).</summary>
    private void RetireEndedThreads()
    {
        for (var i = _slots.Count - 1; i >= 0; i--)
        {
            var slot = _slots[i];
            if (!slot.Thread.IsAlive)
            {
                _retiredRequests += Volatile.Read(ref slot.Counts.Requests);
                _retiredErrors += Volatile.Read(ref slot.Counts.Errors);
                _slots.RemoveAt(i);
            }
        }
    }
}
