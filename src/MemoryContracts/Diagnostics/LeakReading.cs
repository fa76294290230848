namespace MemoryContracts;

/// <summary>
/// The values read right after one full (gen 2) collection, for the <see cref="LeakDetector"/>.
/// </summary>
/// <param name="GcIndex">The index of the full collection (<see cref="GCMemoryInfo.Index"/>); increasing.</param>
/// <param name="HeapBytes">The heap left after it (<see cref="GCMemoryInfo.HeapSizeBytes"/>).</param>
/// <param name="ThreadPoolThreads">The thread-pool threads then (<see cref="ThreadPool.ThreadCount"/>).</param>
/// <param name="ActiveTimers">The active timers then (<see cref="Timer.ActiveCount"/>).</param>
internal readonly record struct LeakReading(long GcIndex, long HeapBytes, int ThreadPoolThreads, long ActiveTimers);
