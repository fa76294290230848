using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts.Tests.Propagation;

/// <summary>
/// Records one instrument of one service provider's <c>MemoryContracts</c> meter (other tests'
/// providers, running in parallel, have their own meter instances and are not seen).
/// </summary>
internal sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(long Value, KeyValuePair<string, object?>[] Tags)> _measurements = new();

    public MetricRecorder(IServiceProvider services, string instrumentName)
    {
        var meter = services.GetRequiredService<MemoryContractsMetrics>().Meter;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter) && instrument.Name == instrumentName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) => _measurements.Enqueue((value, tags.ToArray())));
        _listener.Start();
    }

    /// <summary>Gets the sum of the measurements whose tag <paramref name="tag"/> equals <paramref name="value"/>.</summary>
    public long Sum(string tag, string value) =>
        _measurements.Where(m => m.Tags.Any(t => t.Key == tag && Equals(t.Value, value))).Sum(m => m.Value);

    public long Total => _measurements.Sum(m => m.Value);

    public void Dispose() => _listener.Dispose();
}
