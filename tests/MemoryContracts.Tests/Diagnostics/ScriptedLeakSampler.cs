using System.Collections.Concurrent;

namespace MemoryContracts.Tests.Diagnostics;

/// <summary>
/// An <see cref="ILeakSampler"/> under the test's hand: each read takes the next queued reading (none
/// queued: no full collection since the last read), or throws when <see cref="Throw"/> is set. Every
/// read releases <see cref="ReadSignal"/>.
/// </summary>
internal sealed class ScriptedLeakSampler : ILeakSampler
{
    private readonly ConcurrentQueue<LeakReading> _readings = new();
    private long _nextIndex = 1;
    private int _reads;

    public SemaphoreSlim ReadSignal { get; } = new(0);

    public int Reads => Volatile.Read(ref _reads);

    public bool Throw { get; set; }

    /// <summary>Queues one full collection per heap value (MB), with steady threads and timers.</summary>
    public void Queue(params long[] heapMb)
    {
        foreach (var mb in heapMb)
        {
            _readings.Enqueue(new LeakReading(_nextIndex++, mb * 1024 * 1024, 10, 5));
        }
    }

    public bool TryRead(out LeakReading reading)
    {
        Interlocked.Increment(ref _reads);
        try
        {
            if (Throw)
            {
                throw new InvalidOperationException("scripted sampler failure");
            }

            return _readings.TryDequeue(out reading);
        }
        finally
        {
            ReadSignal.Release();
        }
    }
}
