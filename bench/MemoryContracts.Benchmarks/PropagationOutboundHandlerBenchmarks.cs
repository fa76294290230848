using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts.Benchmarks;

/// <summary>
/// What the outbound handler adds per call at steady state: an <see cref="HttpMessageInvoker"/> over
/// our handler and a stub inner handler that returns a cached response (carrying
/// <c>X-Memory-Usage: 50%</c>, as a MemoryContracts downstream's responses do), against the same
/// invoker without our handler. The request is reused (headers cleared per call) so the figure is
/// the handler's, not the request's.
/// </summary>
[MemoryDiagnoser]
public class PropagationOutboundHandlerBenchmarks
{
    private ServiceProvider _services = null!;
    private HttpMessageInvoker _without = null!;
    private HttpMessageInvoker _with = null!;
    private HttpRequestMessage _internalRequest = null!;
    private HttpRequestMessage _publicRequest = null!;

    [GlobalSetup]
    public void Setup()
    {
        _services = PropagationBenchmarkServices.Build();
        var response = new HttpResponseMessage(System.Net.HttpStatusCode.OK);
        response.Headers.TryAddWithoutValidation("X-Memory-Usage", "50%");
        _without = new HttpMessageInvoker(new CachedResponseHandler(response));
        var handler = MemoryContractHeadersHandler.Create(_services);
        handler.InnerHandler = new CachedResponseHandler(response);
        _with = new HttpMessageInvoker(handler);
        _internalRequest = new HttpRequestMessage(HttpMethod.Get, new Uri("http://inventory.shop.svc.cluster.local:8080/items/42"));
        _publicRequest = new HttpRequestMessage(HttpMethod.Get, new Uri("https://api.example.com/items/42"));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _with.Dispose();
        _without.Dispose();
        _services.Dispose();
    }

    [Benchmark(Baseline = true)]
    public HttpResponseMessage WithoutHandler()
    {
        _internalRequest.Headers.Clear();
        return _without.SendAsync(_internalRequest, CancellationToken.None).GetAwaiter().GetResult();
    }

    [Benchmark]
    public HttpResponseMessage WithHandler_InternalHost()
    {
        _internalRequest.Headers.Clear();
        return _with.SendAsync(_internalRequest, CancellationToken.None).GetAwaiter().GetResult();
    }

    [Benchmark]
    public HttpResponseMessage WithHandler_PublicHost()
    {
        _publicRequest.Headers.Clear();
        return _with.SendAsync(_publicRequest, CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>The network stand-in: a completed task with one cached response.</summary>
    private sealed class CachedResponseHandler(HttpResponseMessage response) : HttpMessageHandler
    {
        private readonly Task<HttpResponseMessage> _response = Task.FromResult(response);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => _response;
    }
}
