using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace MemoryContracts.Benchmarks;

/// <summary>
/// What counting a request for the ORCA report adds to it (<see cref="RequestTally"/>): an increment
/// of the core's own slot of a striped counter, the <c>OnCompleted</c> registration, and the callback
/// that reads the final status when the server completes the response. The context and its response
/// feature are reused as Kestrel reuses them across the requests of a connection; the baseline
/// completes a response that has no callback, which Kestrel does for every request anyway.
/// </summary>
[MemoryDiagnoser]
public class RequestCountingBenchmarks
{
    private readonly StripedCounter _counter = new();
    private readonly RequestTally _tally = new();
    private readonly ReusedCallbackResponseFeature _response = new();
    private DefaultHttpContext _context = null!;
    private long _shared;

    [GlobalSetup]
    public void Setup()
    {
        _context = new DefaultHttpContext();
        _context.Features.Set<IHttpResponseFeature>(_response);
        _context.Response.StatusCode = StatusCodes.Status200OK;

        // Warm the feature cache and the reused stack.
        _tally.CountRequest(_context);
        _response.Complete();
    }

    [Benchmark(Baseline = true, Description = "complete a response, nothing counted")]
    public void CompleteOnly() => _response.Complete();

    [Benchmark(Description = "striped counter increment")]
    public void StripedIncrement() => _counter.Increment();

    [Benchmark(Description = "one shared Interlocked.Increment (for comparison, uncontended)")]
    public long SharedIncrement() => Interlocked.Increment(ref _shared);

    [Benchmark(Description = "count a request and complete it (200)")]
    public void CountRequestAndComplete()
    {
        _tally.CountRequest(_context);
        _response.Complete();
    }
}
