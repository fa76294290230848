using System.Runtime.InteropServices;

namespace MemoryContracts;

/// <summary>
/// One thread's share of a <see cref="RequestTally"/>: the requests and errors that thread counted.
/// Only its thread writes it (a plain load and a <see cref="Volatile.Write(ref long, long)"/>, no
/// atomic instruction); <see cref="ThreadTallySlots"/> reads it. The counts sit in the middle of
/// <see cref="PaddedCounts"/>, 64 bytes from either end, so no other object's fields share their
/// cache line and two threads never write the same line.
/// </summary>
internal sealed class ThreadTallySlot
{
    public ThreadTallySlot(ThreadTallySlots owner, Thread thread)
    {
        Owner = owner;
        Thread = thread;
    }

    /// <summary>Gets the registry the slot belongs to (a thread's cached slot is only its own tally's when this matches).</summary>
    public ThreadTallySlots Owner { get; }

    /// <summary>Gets the thread that writes the slot; when it has ended, the slot is folded into the registry's retired totals.</summary>
    public Thread Thread { get; }

    /// <summary>The counts, padded away from everything else.</summary>
    public PaddedCounts Counts;

    /// <summary>Two counts with 64 bytes of padding on either side.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 144)]
    internal struct PaddedCounts
    {
        /// <summary>Requests this thread counted.</summary>
        [FieldOffset(64)]
        public long Requests;

        /// <summary>Errors this thread counted.</summary>
        [FieldOffset(72)]
        public long Errors;
    }
}
