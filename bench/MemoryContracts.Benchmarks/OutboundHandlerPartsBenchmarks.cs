using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Polly;

namespace MemoryContracts.Benchmarks;

/// <summary>
/// The parts of what the outbound handler adds to a call to an internal host
/// (<see cref="PropagationOutboundHandlerBenchmarks"/>), each alone: our three request headers, the
/// clock read of the downstream backoff, its window, the reading of the answer, an empty Polly.Core
/// pipeline, and the backoff's own pipeline. The request and the response are reused.
/// </summary>
[MemoryDiagnoser]
public class OutboundHandlerPartsBenchmarks
{
    private const string Host = "inventory.shop.svc.cluster.local";

    private ServiceProvider _services = null!;
    private MemoryPressureSnapshot _snapshot = null!;
    private HttpRequestMessage _request = null!;
    private HttpResponseMessage _response = null!;
    private ResiliencePipeline<HttpResponseMessage> _empty = null!;
    private ThrottledDownstream _downstream = null!;
    private AdaptiveThrottleWindow _window = null!;
    private long _now;

    [GlobalSetup]
    public void Setup()
    {
        _services = PropagationBenchmarkServices.Build();
        _snapshot = _services.GetRequiredService<MemoryPressureMonitor>().Current;
        _request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://{Host}:8080/items/42"));
        _response = new HttpResponseMessage(System.Net.HttpStatusCode.OK);
        _response.Headers.TryAddWithoutValidation(MemoryHeaderNames.Usage, "50%");
        _empty = new ResiliencePipelineBuilder<HttpResponseMessage>().Build();
        _downstream = _services.GetRequiredService<DownstreamThrottle>().For(_request.RequestUri!)!;
        _now = TimeProvider.System.GetTimestamp();
        _window = new AdaptiveThrottleWindow(TimeProvider.System.TimestampFrequency, _now);
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Description = "three X-Memory-* request headers (TryAddWithoutValidation, after Clear)")]
    public int Headers()
    {
        var headers = _request.Headers;
        headers.Clear();
        headers.TryAddWithoutValidation(MemoryHeaderNames.Usage, _snapshot.UsageHeaderValue);
        headers.TryAddWithoutValidation(MemoryHeaderNames.Capacity, _snapshot.CapacityHeaderValue);
        headers.TryAddWithoutValidation(MemoryHeaderNames.Contract, _snapshot.ContractVersion);
        return headers.NonValidated.Count;
    }

    [Benchmark(Description = "TimeProvider.System.GetTimestamp (the backoff reads it once a call)")]
    public long Timestamp() => TimeProvider.System.GetTimestamp();

    [Benchmark(Description = "backoff window: record a call and read the counts (within one second)")]
    public long Window()
    {
        _window.Record(_now, accepted: true);
        return _window.Counts(_now).Requests;
    }

    [Benchmark(Description = "read the answer (X-Memory-Usage, status, authority)")]
    public int Classify() => (int)MemoryRejection.Classify(_response, Host, 8080, 90, out _);

    [Benchmark(Description = "backoff controller: decide the call and count its answer (clock read included)")]
    public bool Controller()
    {
        var controller = _downstream.Controller;
        var refused = controller.OnCall(core: false, out var started);
        controller.OnResponse(_response, started);
        return refused is null;
    }

    [Benchmark(Description = "an empty Polly.Core pipeline (pooled context)")]
    public bool EmptyPipeline()
    {
        var context = ResilienceContextPool.Shared.Get(CancellationToken.None);
        var pending = _empty.ExecuteOutcomeAsync(static (_, response) => Outcome.FromResultAsValueTask(response), context, _response);
        ResilienceContextPool.Shared.Return(context);
        return pending.IsCompletedSuccessfully;
    }

    [Benchmark(Description = "the backoff's pipeline (its strategy and controller; pooled context)")]
    public bool BackoffPipeline()
    {
        var context = ResilienceContextPool.Shared.Get(CancellationToken.None);
        var pending = _downstream.Pipeline.ExecuteOutcomeAsync(static (_, response) => Outcome.FromResultAsValueTask(response), context, _response);
        ResilienceContextPool.Shared.Return(context);
        return pending.IsCompletedSuccessfully;
    }
}
