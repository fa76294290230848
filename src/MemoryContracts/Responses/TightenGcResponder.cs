using Microsoft.Extensions.Logging;

namespace MemoryContracts;

/// <summary>
/// <c>tighten_gc</c>: leaves <c>SustainedLowLatency</c> for <c>Interactive</c> and asks for a
/// large-object-heap compaction; restores the original settings when pressure is back to Normal.
/// </summary>
internal sealed class TightenGcResponder : IMemoryPressureResponder
{
    private readonly GcTightening _tightening;
    private readonly IGcControl _gc;
    private readonly ILogger _logger;

    public TightenGcResponder(GcTightening tightening, IGcControl gc, ILogger<TightenGcResponder> logger)
    {
        _tightening = tightening;
        _gc = gc;
        _logger = logger;
    }

    public string Name => BuiltInResponders.TightenGc;

    public ValueTask OnLevelChangedAsync(MemoryPressureChange change, CancellationToken cancellationToken)
    {
        if (change.ShouldAct(Name))
        {
            if (_tightening.Tighten(TighteningReasons.Level))
            {
                ResponsesLog.GcTightened(_logger, TighteningReasons.Level, _gc.LatencyMode);
            }
        }
        else if (change.Level == PressureLevel.Normal && _tightening.Release(TighteningReasons.Level))
        {
            ResponsesLog.GcRestored(_logger, _gc.LatencyMode);
        }

        return ValueTask.CompletedTask;
    }
}
