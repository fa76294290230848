using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace LeakyService;

/// <summary>
/// What the soak reads from inside the service (<c>--soak</c>, <c>GET /soak</c>): the MemoryContracts
/// meter's counters by instrument and tags, the guard's tick lag, MemoryContracts log events by id, the
/// error-level ones the soak does not expect, and unobserved task exceptions.
/// </summary>
internal sealed class SoakTally : IDisposable
{
    /// <summary>The error-level events a soak provokes on purpose: a refused reload (4), a rejected contract (107), a failing responder (103), and the alert at Critical (201).</summary>
    private static readonly HashSet<int> ExpectedErrors = [4, 103, 107, 201];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, double> _counters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, long> _events = new();
    private readonly ConcurrentQueue<string> _unexpected = new();
    private long _unobserved;

    public SoakTally()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "MemoryContracts" && instrument is not ObservableInstrument<int> and not ObservableInstrument<double> and not ObservableInstrument<long>)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "memory_contracts.tick.lag")
            {
                TickLag.Record(value);
            }
            else if (instrument is Counter<double>)
            {
                Add(instrument, value, tags);
            }
        });
        _listener.Start();
        TaskScheduler.UnobservedTaskException += (_, e) =>
        {
            Interlocked.Increment(ref _unobserved);
            Console.Error.WriteLine($"SOAK unobserved task exception: {e.Exception}");
        };
    }

    public TickLagRecorder TickLag { get; } = new();

    public long UnobservedTaskExceptions => Interlocked.Read(ref _unobserved);

    public IReadOnlyDictionary<string, double> Counters => new SortedDictionary<string, double>(_counters, StringComparer.Ordinal);

    public IReadOnlyDictionary<string, long> Events => new SortedDictionary<string, long>(_events.ToDictionary(p => p.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), p => p.Value), StringComparer.Ordinal);

    public IReadOnlyList<string> UnexpectedErrors => [.. _unexpected];

    public void Event(int id, LogLevel level, string category, string message, Exception? exception)
    {
        _events.AddOrUpdate(id, 1, (_, n) => n + 1);
        if (level >= LogLevel.Error && !ExpectedErrors.Contains(id) && _unexpected.Count < 100)
        {
            _unexpected.Enqueue($"{category}[{id}] {message} {exception?.GetType().Name}: {exception?.Message}");
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var key = instrument.Name;
        foreach (var tag in tags)
        {
            key += $" {tag.Key}={tag.Value}";
        }

        _counters.AddOrUpdate(key, value, (_, sum) => sum + value);
    }
}
