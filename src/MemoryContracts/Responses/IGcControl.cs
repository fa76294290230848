using System.Runtime;

namespace MemoryContracts;

/// <summary>The process-wide GC knobs the responders turn; a seam so tests don't turn the real ones.</summary>
internal interface IGcControl
{
    GCLatencyMode LatencyMode { get; set; }

    GCLargeObjectHeapCompactionMode LargeObjectHeapCompactionMode { get; set; }

    /// <summary>Runs one blocking, compacting gen-2 collection (compacting the large object heap too).</summary>
    /// <param name="aggressive">
    /// <see cref="GCCollectionMode.Aggressive"/> instead of <see cref="GCCollectionMode.Forced"/>: the GC
    /// also decommits its free space, so the working set shrinks, not only the heap.
    /// </param>
    void CollectCompacting(bool aggressive);
}
