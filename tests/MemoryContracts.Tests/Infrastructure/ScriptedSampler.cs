namespace MemoryContracts.Tests.Infrastructure;

/// <summary>
/// An <see cref="IMemorySampler"/> driven by hand: set <see cref="Next"/> (or queue samples) and the
/// guard reads it. Repeats the last sample when the queue is empty. Can be told to throw.
/// </summary>
public sealed class ScriptedSampler : IMemorySampler
{
    public const long MB = 1024 * 1024;

    private readonly Queue<MemorySample> _queue = new();
    private readonly object _gate = new();

    public ScriptedSampler(long heapMb = 100, long capacityMb = 4096) =>
        Next = Heap(heapMb, capacityMb);

    /// <summary>Gets or sets the sample returned when the queue is empty.</summary>
    public MemorySample Next { get; set; }

    /// <summary>Gets or sets an exception to throw from the next <see cref="Sample"/> calls.</summary>
    public Exception? Throw { get; set; }

    /// <summary>Gets how many times the guard sampled.</summary>
    public int Calls { get; private set; }

    public static MemorySample Heap(long heapMb, long capacityMb = 4096) => new()
    {
        HeapBytes = heapMb * MB,
        CommittedBytes = heapMb * MB,
        CapacityBytes = capacityMb * MB,
    };

    /// <summary>Sets the heap (MB) of the samples that follow, keeping the rest of <see cref="Next"/>.</summary>
    public void SetHeapMb(long heapMb) => Next = Next with { HeapBytes = heapMb * MB, CommittedBytes = heapMb * MB };

    public void Enqueue(params MemorySample[] samples)
    {
        lock (_gate)
        {
            foreach (var sample in samples)
            {
                _queue.Enqueue(sample);
            }
        }
    }

    public MemorySample Sample()
    {
        lock (_gate)
        {
            Calls++;
            if (Throw is { } exception)
            {
                throw exception;
            }

            if (_queue.TryDequeue(out var sample))
            {
                Next = sample;
            }

            return Next;
        }
    }
}
