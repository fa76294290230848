using System.Collections.Concurrent;
using System.Diagnostics;

namespace ShopApi.Demo;

/// <summary>
/// A logger provider that turns the library's logs (categories <c>MemoryContracts.*</c>, stable event
/// names) into <see cref="GuardAction"/>s for the timeline: what the guard actually did, not what the
/// contract says it would do.
/// </summary>
internal sealed class GuardActivityRecorder : ILoggerProvider
{
    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        ["PressureEscalated"] = "alert",
        ["PressureCritical"] = "alert",
        ["PressureEased"] = "alert",
        ["CachesTrimmed"] = "trim_caches",
        ["GcTightened"] = "tighten_gc",
        ["GcTriggerTightened"] = "tighten_gc",
        ["GcRestored"] = "gc_restored",
        ["GcInduced"] = "compact_gc",
        ["SheddingStarted"] = "shed_requests",
        ["SheddingStopped"] = "shedding_off",
        ["SnapshotWritten"] = "snapshot",
        ["LogsQuieted"] = "quiet_logs",
        ["PredictedCritical"] = "predicted_critical",
        ["ResponderFailed"] = "responder_failed",
        ["TickFailed"] = "guard_tick_failed",
    };

    private readonly ConcurrentQueue<GuardAction> _actions = new();
    private readonly long _started;

    public GuardActivityRecorder(long startedTimestamp) => _started = startedTimestamp;

    /// <summary>Takes the actions recorded since the last call.</summary>
    public IReadOnlyList<GuardAction> Drain()
    {
        var drained = new List<GuardAction>();
        while (_actions.TryDequeue(out var action))
        {
            drained.Add(action);
        }

        return drained;
    }

    public ILogger CreateLogger(string categoryName) =>
        categoryName.StartsWith("MemoryContracts", StringComparison.Ordinal) ? new Recorder(this) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void Dispose()
    {
    }

    private void Record<TState>(EventId eventId, TState state)
    {
        if (eventId.Name is null || !Names.TryGetValue(eventId.Name, out var name))
        {
            return;
        }

        long bytes = 0;
        if (state is IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            foreach (var (key, value) in values)
            {
                if (key is "FreedBytes" && value is long freed)
                {
                    bytes = freed;
                }
                else if (key is "BeforeBytes" && value is long before)
                {
                    bytes += before;
                }
                else if (key is "AfterBytes" && value is long after)
                {
                    bytes -= after;
                }
            }
        }

        _actions.Enqueue(new GuardAction(Stopwatch.GetElapsedTime(_started), name, bytes));
    }

    private sealed class Recorder(GuardActivityRecorder owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Record(eventId, state);
    }
}
