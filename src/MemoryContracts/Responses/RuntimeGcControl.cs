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

    public void CollectCompacting(bool aggressive)
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;

        // Aggressive must be blocking and compacting (it throws otherwise); it also decommits free space.
        GC.Collect(GC.MaxGeneration, aggressive ? GCCollectionMode.Aggressive : GCCollectionMode.Forced, blocking: true, compacting: true);
    }
}
