using System.Runtime;

namespace MemoryContracts;

/// <summary>The process-wide GC knobs the responders turn; a seam so tests don't turn the real ones.</summary>
internal interface IGcControl
{
    GCLatencyMode LatencyMode { get; set; }

    GCLargeObjectHeapCompactionMode LargeObjectHeapCompactionMode { get; set; }

    /// <summary>Runs one blocking, compacting gen-2 collection (compacting the large object heap too).</summary>
    void CollectCompacting();
}
