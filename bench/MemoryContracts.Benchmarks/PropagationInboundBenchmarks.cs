using System.Net;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts.Benchmarks;

/// <summary>
/// <see cref="InboundPropagation.OnRequest"/> per request: an untrusted caller, a trusted caller
/// that sent no pressure headers (we write four response headers), and a trusted caller that sent
/// <c>X-Memory-Usage</c>/<c>X-Memory-Contract</c>. Contexts are reused; the response headers are
/// cleared per call (their store is kept, as Kestrel keeps its per-connection header objects).
/// </summary>
[MemoryDiagnoser]
public class PropagationInboundBenchmarks
{
    private ServiceProvider _services = null!;
    private InboundPropagation _inbound = null!;
    private MemoryPressureMonitor _monitor = null!;
    private DefaultHttpContext _untrusted = null!;
    private DefaultHttpContext _trustedNoHeaders = null!;
    private DefaultHttpContext _trustedWithHeaders = null!;

    [GlobalSetup]
    public void Setup()
    {
        _services = PropagationBenchmarkServices.Build();
        _inbound = _services.GetRequiredService<InboundPropagation>();
        _monitor = _services.GetRequiredService<MemoryPressureMonitor>();
        _untrusted = Context("203.0.113.9");
        _untrusted.Request.Headers["X-Memory-Usage"] = "99%";
        _trustedNoHeaders = Context("::ffff:10.1.2.3");
        _trustedWithHeaders = Context("10.1.2.3");
        _trustedWithHeaders.Request.Headers["X-Memory-Usage"] = "42%";
        _trustedWithHeaders.Request.Headers["X-Memory-Contract"] = "v1.2";
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true)]
    public bool Untrusted()
    {
        _untrusted.Response.Headers.Clear();
        return _inbound.OnRequest(_untrusted, _monitor.Current).IsEmpty;
    }

    [Benchmark]
    public bool TrustedNoHeaders()
    {
        _trustedNoHeaders.Response.Headers.Clear();
        return _inbound.OnRequest(_trustedNoHeaders, _monitor.Current).IsEmpty;
    }

    [Benchmark]
    public bool TrustedWithHeaders()
    {
        _trustedWithHeaders.Response.Headers.Clear();
        return _inbound.OnRequest(_trustedWithHeaders, _monitor.Current).IsEmpty;
    }

    private static DefaultHttpContext Context(string remote)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        context.Request.Headers["Accept"] = "application/json";
        return context;
    }
}
