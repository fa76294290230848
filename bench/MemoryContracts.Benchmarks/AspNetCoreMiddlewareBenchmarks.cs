using System.Threading.RateLimiting;
using BenchmarkDotNet.Attributes;
using MemoryContracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts.Benchmarks;

/// <summary>
/// One request through a pipeline of one middleware and a terminal no-op endpoint, in the Normal
/// state: MemoryContracts vs a no-op middleware (the baseline) vs <c>UseRateLimiter</c> with a no-op
/// limiter. Kestrel reuses the <see cref="HttpContext"/> and its feature collection across the requests
/// of a connection; the benchmark mimics that by reusing one <see cref="DefaultHttpContext"/> whose
/// endpoint (<c>GET /catalog/{id}</c>) was set by routing, and whose response feature keeps and runs
/// the <c>OnCompleted</c> callbacks as Kestrel does (<see cref="ReusedCallbackResponseFeature"/>): every
/// benchmark completes its response, so MemoryContracts' figures include the request count for ORCA
/// and its completion callback.
/// </summary>
[MemoryDiagnoser]
public class AspNetCoreMiddlewareBenchmarks
{
    private ServiceProvider _services = null!;
    private RequestDelegate _noOp = null!;
    private RequestDelegate _memoryContracts = null!;
    private RequestDelegate _memoryContractsByMetadata = null!;
    private RequestDelegate _rateLimiter = null!;
    private DefaultHttpContext _routeContext = null!;
    private DefaultHttpContext _metadataContext = null!;
    private DefaultHttpContext _trustedContext = null!;
    private DefaultHttpContext _proxiedContext = null!;
    private DefaultHttpContext _coreContext = null!;

    // Each context's response feature, held here so completing it needs no feature look-up (which would add to every row).
    private ReusedCallbackResponseFeature _routeResponse = null!;
    private ReusedCallbackResponseFeature _metadataResponse = null!;
    private ReusedCallbackResponseFeature _trustedResponse = null!;
    private ReusedCallbackResponseFeature _proxiedResponse = null!;
    private ReusedCallbackResponseFeature _coreResponse = null!;

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMemoryContracts(o => o.Contract = new MemoryContract
        {
            Modules =
            [
                new ModuleContract { Name = "catalog", Routes = ["/catalog"] },
                new ModuleContract { Name = "checkout", Core = true, Routes = ["/checkout"] },
            ],
        });
        // IHttpClientFactory is registered, so core requests are marked for downstream backoff.
        services.AddHttpClient();
        services.AddRateLimiter(o => o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(_ => RateLimitPartition.GetNoLimiter("all")));
        _services = services.BuildServiceProvider();

        static Task Terminal(HttpContext context) => Task.CompletedTask;

        var noOp = new ApplicationBuilder(_services);
        noOp.Use(next => context => next(context));
        noOp.Run(Terminal);
        _noOp = noOp.Build();

        var memoryContracts = new ApplicationBuilder(_services);
        memoryContracts.UseMemoryContracts();
        memoryContracts.Run(Terminal);
        _memoryContracts = memoryContracts.Build();
        _memoryContractsByMetadata = _memoryContracts;

        var rateLimiter = new ApplicationBuilder(_services);
        rateLimiter.UseRateLimiter();
        rateLimiter.Run(Terminal);
        _rateLimiter = rateLimiter.Build();

        _routeContext = Context("/catalog/{id}", "/catalog/7", metadata: [], out _routeResponse);
        _metadataContext = Context("/items/{id}", "/items/7", metadata: [new MemoryContractAttribute("catalog")], out _metadataResponse);
        _trustedContext = Context("/catalog/{id}", "/catalog/7", metadata: [], out _trustedResponse);
        _trustedContext.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("10.1.2.3");
        _proxiedContext = Context("/catalog/{id}", "/catalog/7", metadata: [], out _proxiedResponse);
        _proxiedContext.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("10.1.2.3");
        _proxiedContext.Request.Headers["X-Forwarded-For"] = "10.20.30.40";
        _coreContext = Context("/checkout/{id}", "/checkout/7", metadata: [], out _coreResponse);

        // A sampled snapshot, so a trusted caller gets the four response headers.
        _services.GetRequiredService<MemoryPressureMonitor>().Publish(
            new MemoryPressureSnapshot(PressureLevel.Normal, 42, 2048L * 1024 * 1024, DateTimeOffset.UtcNow, []));

        // Warm the per-endpoint policy caches and the contexts' feature collections.
        _memoryContracts(_routeContext).GetAwaiter().GetResult();
        _memoryContracts(_metadataContext).GetAwaiter().GetResult();
        _memoryContracts(_trustedContext).GetAwaiter().GetResult();
        _memoryContracts(_proxiedContext).GetAwaiter().GetResult();
        _memoryContracts(_coreContext).GetAwaiter().GetResult();
        _rateLimiter(_routeContext).GetAwaiter().GetResult();
        foreach (var response in (ReusedCallbackResponseFeature[])[_routeResponse, _metadataResponse, _trustedResponse, _proxiedResponse, _coreResponse])
        {
            response.Complete();
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true, Description = "no-op middleware")]
    public Task NoOpMiddleware() => Complete(_noOp(_routeContext), _routeResponse);

    [Benchmark(Description = "UseMemoryContracts, Normal, module by routes")]
    public Task MemoryContractsByRoutes() => Complete(_memoryContracts(_routeContext), _routeResponse);

    [Benchmark(Description = "UseMemoryContracts, Normal, module by metadata")]
    public Task MemoryContractsByMetadata() => Complete(_memoryContractsByMetadata(_metadataContext), _metadataResponse);

    [Benchmark(Description = "UseMemoryContracts, Normal, trusted caller (4 response headers)")]
    public Task MemoryContractsTrustedCaller() => Complete(_memoryContracts(_trustedContext), _trustedResponse);

    [Benchmark(Description = "UseMemoryContracts, Normal, trusted proxy for a trusted client (X-Forwarded-For)")]
    public Task MemoryContractsTrustedProxy() => Complete(_memoryContracts(_proxiedContext), _proxiedResponse);

    [Benchmark(Description = "UseMemoryContracts, Normal, core module (flow marked for downstream backoff)")]
    public Task MemoryContractsCoreModule() => Complete(_memoryContracts(_coreContext), _coreResponse);

    [Benchmark(Description = "UseRateLimiter, no-op limiter")]
    public Task RateLimiterNoLimiter() => Complete(_rateLimiter(_routeContext), _routeResponse);

    /// <summary>Completes the response as the server would once the pipeline's task is done (it is, synchronously, here).</summary>
    private static Task Complete(Task pipeline, ReusedCallbackResponseFeature response)
    {
        response.Complete();
        return pipeline;
    }

    private DefaultHttpContext Context(string pattern, string path, object[] metadata, out ReusedCallbackResponseFeature response)
    {
        var context = new DefaultHttpContext { RequestServices = _services };
        response = new ReusedCallbackResponseFeature();
        context.Features.Set<IHttpResponseFeature>(response);
        context.Request.Method = HttpMethods.Get;
        context.Request.Path = path;
        var endpoint = new RouteEndpoint(_ => Task.CompletedTask, RoutePatternFactory.Parse(pattern), 0, new EndpointMetadataCollection(metadata), pattern);
        context.SetEndpoint(endpoint);
        return context;
    }
}
