namespace MemoryContracts;

/// <summary>
/// The <see cref="LeakDetector"/>'s verdict after a full collection: what grew as a leak does, by how
/// much, over how many full collections.
/// </summary>
/// <param name="Grew">The signals that grew as a leak does (<see cref="LeakSignals.None"/> when none).</param>
/// <param name="NewlyGrew">The signals of <paramref name="Grew"/> that did not grow in the previous verdict: log and count these once.</param>
/// <param name="Heap">The verdict on the heap left after each full collection (bytes).</param>
/// <param name="ThreadPoolThreads">The verdict on the thread-pool thread count.</param>
/// <param name="Timers">The verdict on the active timer count.</param>
internal readonly record struct LeakVerdict(
    LeakSignals Grew,
    LeakSignals NewlyGrew,
    GrowthVerdict Heap,
    GrowthVerdict ThreadPoolThreads,
    GrowthVerdict Timers)
{
    /// <summary>Gets a value indicating whether a leak is suspected (something grew).</summary>
    public bool Suspected => Grew != LeakSignals.None;

    /// <summary>Gets how many full collections the verdict is over.</summary>
    public int FullGcs => Heap.Readings;

    /// <summary>Gets how much the heap left after a full collection grew over <see cref="FullGcs"/>, in bytes.</summary>
    public long HeapGrowthBytes => Heap.Growth;
}
