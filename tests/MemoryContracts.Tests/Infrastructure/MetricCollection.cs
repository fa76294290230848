using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace MemoryContracts.Tests.Infrastructure;

/// <summary>
/// Microsoft's <see cref="MetricCollector{T}"/> on one instrument of one service provider's
/// <c>MemoryContracts</c> meter (tests run in parallel, each provider with its own meter of that name),
/// and the sums the tests read from it.
/// </summary>
internal static class MetricCollection
{
    /// <summary>Starts collecting <paramref name="instrumentName"/> of <paramref name="services"/>' meter.</summary>
    public static MetricCollector<T> Collect<T>(IServiceProvider services, string instrumentName)
        where T : struct =>
        new(services.GetRequiredService<MemoryContractsMetrics>().Meter, instrumentName);

    /// <summary>Starts collecting the <see langword="long"/> counter <paramref name="instrumentName"/>.</summary>
    public static MetricCollector<long> Counter(IServiceProvider services, string instrumentName) =>
        Collect<long>(services, instrumentName);

    /// <summary>Gets the sum of every measurement collected so far.</summary>
    public static long Total(this MetricCollector<long> collector) =>
        collector.GetMeasurementSnapshot().EvaluateAsCounter();

    /// <summary>Gets the sum of the measurements whose tag <paramref name="tag"/> is <paramref name="value"/>.</summary>
    public static long Sum(this MetricCollector<long> collector, string tag, string value) =>
        collector.GetMeasurementSnapshot().ContainsTags(new KeyValuePair<string, object?>(tag, value)).EvaluateAsCounter();

    /// <summary>Gets the tags of every measurement collected so far, oldest first.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, object?>> Tags<T>(this MetricCollector<T> collector)
        where T : struct =>
        [.. collector.GetMeasurementSnapshot().Select(m => m.Tags)];
}
