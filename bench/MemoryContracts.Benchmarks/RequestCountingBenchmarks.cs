using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace MemoryContracts.Benchmarks;

/// <summary>
/// What counting a request for the ORCA report adds to it (<see cref="RequestTally"/>): the add to the
/// thread's own slot, and the status, read at once when the rest of the pipeline has completed by the
/// time it returns to the middleware, else in an <c>OnCompleted</c> callback that runs when the server
/// completes the response. The context and its response feature are reused as Kestrel reuses them
/// across the requests of a connection; the baseline completes a response that has no callback, which
/// Kestrel does for every request anyway.
/// </summary>
[MemoryDiagnoser]
public class RequestCountingBenchmarks
{
    private static readonly Func<object, Task> NoOp = _ => Task.CompletedTask;

    private readonly RequestTally _tally = new();
    private readonly ReusedCallbackResponseFeature _response = new();
    private readonly Task _running = new TaskCompletionSource().Task;
    private DefaultHttpContext _context = null!;
    private long _shared;

    [GlobalSetup]
    public void Setup()
    {
        _context = new DefaultHttpContext();
        _context.Features.Set<IHttpResponseFeature>(_response);
        _context.Response.StatusCode = StatusCodes.Status200OK;

        // Warm the feature cache, the thread's slot and the reused stack.
        _tally.CountRequest();
        _tally.CountOutcome(_context, _running);
        _response.Complete();
    }

    [Benchmark(Baseline = true, Description = "complete a response, nothing counted")]
    public void CompleteOnly() => _response.Complete();

    [Benchmark(Description = "count a request (the thread's own slot)")]
    public void CountRequest() => _tally.CountRequest();

    [Benchmark(Description = "read the response status (what any middleware pays to read it)")]
    public int ReadStatus() => _context.Response.StatusCode;

    [Benchmark(Description = "one shared Interlocked.Increment (for comparison, uncontended)")]
    public long SharedIncrement() => Interlocked.Increment(ref _shared);

    [Benchmark(Description = "count a request that returns completed, and complete it (200)")]
    public bool CountCompletedRequest()
    {
        _tally.CountRequest();
        var task = _tally.CountOutcome(_context, Task.CompletedTask);
        _response.Complete();
        return task.IsCompleted;
    }

    [Benchmark(Description = "register a no-op completion callback and complete the response (ASP.NET Core's mechanics alone, nothing counted)")]
    public void NoOpCallback()
    {
        _context.Response.OnCompleted(NoOp, _context);
        _response.Complete();
    }

    [Benchmark(Description = "count a request still running when it returns, and complete it (200, completion callback)")]
    public bool CountRunningRequest()
    {
        // The task is returned, not awaited: it never completes (a request the server is still running).
        _tally.CountRequest();
        var task = _tally.CountOutcome(_context, _running);
        _response.Complete();
        return task.IsCompleted;
    }
}
