using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MemoryContracts;

/// <summary>
/// A counter many threads increment at once without a lock and without sharing a cache line: one
/// slot per core (the running core's id picks it), each slot 128 bytes from the next so two cores
/// never write the same line (nor the adjacent line the prefetcher pairs with it). An increment is one
/// uncontended <see cref="Interlocked.Increment(ref long)"/>; <see cref="Total"/> adds the slots up
/// (exact once the writers are done, a value between the before and after of each increment while
/// they run). Allocation-free after construction.
/// </summary>
internal sealed class StripedCounter
{
    /// <summary>Longs between two slots: 16 × 8 = 128 bytes.</summary>
    private const int SlotSpacing = 16;

    private readonly long[] _slots;
    private readonly int _mask;

    /// <summary>Initializes a counter with a slot for each of the process's cores.</summary>
    public StripedCounter()
        : this(Environment.ProcessorCount)
    {
    }

    /// <summary>Initializes a counter with at least <paramref name="stripes"/> slots (rounded up to a power of two).</summary>
    public StripedCounter(int stripes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stripes, 1);
        var count = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Min(stripes, 1024));
        _mask = count - 1;

        // Slot i lives at (i + 1) × SlotSpacing: a spacing before the first keeps it off the line that
        // holds the array's header, and one after the last keeps it off the next object's.
        _slots = new long[(count + 2) * SlotSpacing];
    }

    /// <summary>Gets the number of slots.</summary>
    public int Stripes => _mask + 1;

    /// <summary>Gets the sum of every slot.</summary>
    public long Total
    {
        get
        {
            long total = 0;
            for (var i = 0; i <= _mask; i++)
            {
                total += Volatile.Read(ref _slots[(i + 1) * SlotSpacing]);
            }

            return total;
        }
    }

    /// <summary>Adds one, to the slot of the core the calling thread runs on.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Increment()
    {
        // The id is cached by the runtime (refreshed every few calls), so reading it costs about a
        // nanosecond; a thread that moved to another core meanwhile just shares a slot for a moment,
        // which the interlocked add keeps correct. The index is masked into range, so the bounds
        // check the array access would do is skipped.
        var slot = ((Thread.GetCurrentProcessorId() & _mask) + 1) * SlotSpacing;
        Interlocked.Increment(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_slots), slot));
    }
}
