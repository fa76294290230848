using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace MemoryContracts;

/// <summary>
/// <c>compact_gc</c>: one induced, blocking, compacting gen-2 collection, at most once per
/// <c>compact_gc.min_interval_seconds</c>. At Critical the collection is
/// <see cref="GCCollectionMode.Aggressive"/>, which also decommits the GC's free space (the working
/// set shrinks, not only the heap); at other levels it is <see cref="GCCollectionMode.Forced"/>.
/// </summary>
internal sealed class CompactGcResponder : IMemoryPressureResponder
{
    private readonly IGcControl _gc;
    private readonly TimeProvider _time;
    private readonly MemoryContractsMetrics _metrics;
    private readonly ILogger _logger;
    private DateTimeOffset? _last;

    public CompactGcResponder(IGcControl gc, TimeProvider time, MemoryContractsMetrics metrics, ILogger<CompactGcResponder> logger)
    {
        _gc = gc;
        _time = time;
        _metrics = metrics;
        _logger = logger;
    }

    public string Name => BuiltInResponders.CompactGc;

    public ValueTask OnLevelChangedAsync(MemoryPressureChange change, CancellationToken cancellationToken)
    {
        if (!change.ShouldAct(Name))
        {
            return ValueTask.CompletedTask;
        }

        var now = _time.GetUtcNow();
        var minInterval = change.Contract.Responses.CompactGc.MinInterval;
        if (_last is { } last && now - last < minInterval)
        {
            ResponsesLog.GcInductionSkipped(_logger, (now - last).TotalSeconds, minInterval.TotalSeconds);
            return ValueTask.CompletedTask;
        }

        _last = now;
        var before = GC.GetTotalMemory(forceFullCollection: false);
        var started = Stopwatch.GetTimestamp();
        _gc.CollectCompacting(aggressive: change.Level == PressureLevel.Critical);
        var elapsed = Stopwatch.GetElapsedTime(started);
        _metrics.GcInducedOnce();
        ResponsesLog.GcInduced(_logger, change.Level, before, GC.GetTotalMemory(forceFullCollection: false), elapsed.TotalMilliseconds);
        return ValueTask.CompletedTask;
    }
}
