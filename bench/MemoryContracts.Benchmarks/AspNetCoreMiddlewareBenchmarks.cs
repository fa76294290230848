using System.Threading.RateLimiting;
using BenchmarkDotNet.Attributes;
using MemoryContracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
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
/// endpoint (<c>GET /catalog/{id}</c>) was set by routing.
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
    private DefaultHttpContext _coreContext = null!;

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

        _routeContext = Context("/catalog/{id}", "/catalog/7", metadata: []);
        _metadataContext = Context("/items/{id}", "/items/7", metadata: [new MemoryContractAttribute("catalog")]);
        _trustedContext = Context("/catalog/{id}", "/catalog/7", metadata: []);
        _trustedContext.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("10.1.2.3");
        _coreContext = Context("/checkout/{id}", "/checkout/7", metadata: []);

        // A sampled snapshot, so a trusted caller gets the four response headers.
        _services.GetRequiredService<MemoryPressureMonitor>().Publish(
            new MemoryPressureSnapshot(PressureLevel.Normal, 42, 2048L * 1024 * 1024, DateTimeOffset.UtcNow, []));

        // Warm the per-endpoint policy caches and the contexts' feature collections.
        _memoryContracts(_routeContext).GetAwaiter().GetResult();
        _memoryContracts(_metadataContext).GetAwaiter().GetResult();
        _memoryContracts(_trustedContext).GetAwaiter().GetResult();
        _memoryContracts(_coreContext).GetAwaiter().GetResult();
        _rateLimiter(_routeContext).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true, Description = "no-op middleware")]
    public Task NoOpMiddleware() => _noOp(_routeContext);

    [Benchmark(Description = "UseMemoryContracts, Normal, module by routes")]
    public Task MemoryContractsByRoutes() => _memoryContracts(_routeContext);

    [Benchmark(Description = "UseMemoryContracts, Normal, module by metadata")]
    public Task MemoryContractsByMetadata() => _memoryContractsByMetadata(_metadataContext);

    [Benchmark(Description = "UseMemoryContracts, Normal, trusted caller (4 response headers)")]
    public Task MemoryContractsTrustedCaller() => _memoryContracts(_trustedContext);

    [Benchmark(Description = "UseMemoryContracts, Normal, core module (flow marked for downstream backoff)")]
    public Task MemoryContractsCoreModule() => _memoryContracts(_coreContext);

    [Benchmark(Description = "UseRateLimiter, no-op limiter")]
    public Task RateLimiterNoLimiter() => _rateLimiter(_routeContext);

    private DefaultHttpContext Context(string pattern, string path, object[] metadata)
    {
        var context = new DefaultHttpContext { RequestServices = _services };
        context.Request.Method = HttpMethods.Get;
        context.Request.Path = path;
        var endpoint = new RouteEndpoint(_ => Task.CompletedTask, RoutePatternFactory.Parse(pattern), 0, new EndpointMetadataCollection(metadata), pattern);
        context.SetEndpoint(endpoint);
        return context;
    }
}
