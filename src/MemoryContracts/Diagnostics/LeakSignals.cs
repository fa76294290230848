namespace MemoryContracts;

/// <summary>What grew as a leak does, in a <see cref="LeakVerdict"/>.</summary>
[Flags]
internal enum LeakSignals
{
    /// <summary>Nothing grew.</summary>
    None = 0,

    /// <summary>The heap left after each full collection.</summary>
    Heap = 1,

    /// <summary>The thread-pool thread count (<see cref="ThreadPool.ThreadCount"/>).</summary>
    ThreadPoolThreads = 2,

    /// <summary>The active timer count (<see cref="Timer.ActiveCount"/>).</summary>
    Timers = 4,
}
