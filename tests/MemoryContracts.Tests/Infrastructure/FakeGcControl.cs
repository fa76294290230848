using System.Runtime;

namespace MemoryContracts.Tests.Infrastructure;

/// <summary>Records what the responders do to the GC instead of doing it.</summary>
internal sealed class FakeGcControl : IGcControl
{
    public GCLatencyMode LatencyMode { get; set; } = GCLatencyMode.SustainedLowLatency;

    public GCLargeObjectHeapCompactionMode LargeObjectHeapCompactionMode { get; set; } = GCLargeObjectHeapCompactionMode.Default;

    public int Collections { get; private set; }

    public int AggressiveCollections { get; private set; }

    public void CollectCompacting(bool aggressive)
    {
        Collections++;
        if (aggressive)
        {
            AggressiveCollections++;
        }
    }
}
