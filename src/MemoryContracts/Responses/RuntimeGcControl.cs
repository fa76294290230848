using System.Runtime;

namespace MemoryContracts;

/// <summary>The real GC knobs: <see cref="GCSettings"/> and <see cref="GC.Collect(int, GCCollectionMode, bool, bool)"/>.</summary>
internal sealed class RuntimeGcControl : IGcControl
{
    public GCLatencyMode LatencyMode
    {
        get => GCSettings.LatencyMode;
        set => GCSettings.LatencyMode = value;
    }

    public GCLargeObjectHeapCompactionMode LargeObjectHeapCompactionMode
    {
        get => GCSettings.LargeObjectHeapCompactionMode;
        set => GCSettings.LargeObjectHeapCompactionMode = value;
    }

    public void CollectCompacting()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    }
}
