using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts.Tests.Infrastructure;

/// <summary>
/// Listens to one counter of one service provider's MemoryContracts meter (tests run in parallel, each
/// with its own meter of the same name) and sums what it records.
/// </summary>
public sealed class CounterCollector : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _total;

    public CounterCollector(IServiceProvider services, string instrumentName)
    {
        var meter = services.GetRequiredService<MemoryContractsMetrics>().Meter;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter) && instrument.Name == instrumentName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            Interlocked.Add(ref _total, value);
            Tags.Enqueue(tags.ToArray().ToDictionary(t => t.Key, t => t.Value));
        });
        _listener.Start();
    }

    public long Total => Interlocked.Read(ref _total);

    public ConcurrentQueue<Dictionary<string, object?>> Tags { get; } = new();

    public void Dispose() => _listener.Dispose();
}
