using System.Runtime;

namespace MemoryContracts;

/// <summary>
/// Tightens the GC (leaves <see cref="GCLatencyMode.SustainedLowLatency"/> for
/// <see cref="GCLatencyMode.Interactive"/>, asks for a large-object-heap compaction) for one or more
/// reasons, and restores the settings it found once no reason is left.
/// </summary>
internal sealed class GcTightening
{
    private readonly IGcControl _gc;
    private readonly object _gate = new();
    private TighteningReasons _reasons;
    private GCLatencyMode _originalLatency;
    private GCLargeObjectHeapCompactionMode _originalLoh;

    public GcTightening(IGcControl gc) => _gc = gc;

    /// <summary>Gets the GC latency mode now (for logs).</summary>
    public GCLatencyMode LatencyMode => _gc.LatencyMode;

    public bool IsTightened
    {
        get
        {
            lock (_gate)
            {
                return _reasons != TighteningReasons.None;
            }
        }
    }

    /// <summary>Tightens for <paramref name="reason"/>; returns whether the settings changed now.</summary>
    public bool Tighten(TighteningReasons reason)
    {
        lock (_gate)
        {
            var first = _reasons == TighteningReasons.None;
            _reasons |= reason;
            if (!first)
            {
                return false;
            }

            _originalLatency = _gc.LatencyMode;
            _originalLoh = _gc.LargeObjectHeapCompactionMode;
            if (_originalLatency == GCLatencyMode.SustainedLowLatency)
            {
                _gc.LatencyMode = GCLatencyMode.Interactive;
            }

            _gc.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            return true;
        }
    }

    /// <summary>Drops <paramref name="reason"/>; restores the original settings when none is left. Returns whether they were restored now.</summary>
    public bool Release(TighteningReasons reason)
    {
        lock (_gate)
        {
            if (_reasons == TighteningReasons.None)
            {
                return false;
            }

            _reasons &= ~reason;
            if (_reasons != TighteningReasons.None)
            {
                return false;
            }

            _gc.LatencyMode = _originalLatency;
            _gc.LargeObjectHeapCompactionMode = _originalLoh;
            return true;
        }
    }
}
