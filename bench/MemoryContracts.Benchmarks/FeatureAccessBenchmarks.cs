using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using MemoryContracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace MemoryContracts.Benchmarks;

/// <summary>
/// The pieces of the middleware's per-request cost, each the old way and the way it is done now:
/// feature reads and writes through <c>IFeatureCollection.Get&lt;T&gt;</c>/<c>Set&lt;T&gt;</c> (generic
/// virtual methods) against the <c>Type</c> indexer, and the per-endpoint policy lookup in a
/// <see cref="ConcurrentDictionary{TKey, TValue}"/> with <see cref="ReferenceEqualityComparer"/>
/// against <see cref="EndpointPolicyTable"/>. On a <see cref="DefaultHttpContext"/>, as in
/// <see cref="AspNetCoreMiddlewareBenchmarks"/>.
/// </summary>
[MemoryDiagnoser]
public class FeatureAccessBenchmarks
{
    private readonly MemoryPressureFeature _feature = new("catalog");
    private DefaultHttpContext _context = null!;
    private Endpoint _endpoint = null!;
    private ConcurrentDictionary<Endpoint, EndpointPolicy> _dictionary = null!;
    private EndpointPolicyTable _table = null!;

    [GlobalSetup]
    public void Setup()
    {
        _context = new DefaultHttpContext();
        _context.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("203.0.113.7");
        _endpoint = new RouteEndpoint(_ => Task.CompletedTask, RoutePatternFactory.Parse("/catalog/{id}"), 0, EndpointMetadataCollection.Empty, "catalog");
        _context.SetEndpoint(_endpoint);
        _context.Features.Set<IMemoryPressureFeature>(_feature);

        // A service's worth of endpoints, the measured one among them.
        _dictionary = new ConcurrentDictionary<Endpoint, EndpointPolicy>(ReferenceEqualityComparer.Instance);
        _table = new EndpointPolicyTable();
        for (var i = 0; i < 50; i++)
        {
            var other = new Endpoint(_ => Task.CompletedTask, EndpointMetadataCollection.Empty, $"e{i}");
            _dictionary[other] = new EndpointPolicy(null, false);
            _table.GetOrAdd(other, new EndpointPolicy(null, false));
        }

        _dictionary[_endpoint] = new EndpointPolicy(null, false);
        _table.GetOrAdd(_endpoint, new EndpointPolicy(null, false));
    }

    [Benchmark(Description = "endpoint: HttpContext.GetEndpoint()")]
    public Endpoint? EndpointByExtension() => _context.GetEndpoint();

    [Benchmark(Description = "endpoint: Features[typeof(IEndpointFeature)]")]
    public Endpoint? EndpointByIndexer() => RequestFeatures.Endpoint(_context.Features);

    [Benchmark(Description = "connection: Features.Get<IHttpConnectionFeature>()")]
    public System.Net.IPAddress? ConnectionByGet() => _context.Features.Get<IHttpConnectionFeature>()?.RemoteIpAddress;

    [Benchmark(Description = "connection: Features[typeof(IHttpConnectionFeature)]")]
    public System.Net.IPAddress? ConnectionByIndexer() => RequestFeatures.RemoteAddress(_context.Features);

    [Benchmark(Description = "feature write: Features.Set<IMemoryPressureFeature>()")]
    public void PressureBySet() => _context.Features.Set<IMemoryPressureFeature>(_feature);

    [Benchmark(Description = "feature write: Features[typeof(IMemoryPressureFeature)] =")]
    public void PressureByIndexer() => RequestFeatures.SetPressure(_context.Features, _feature);

    [Benchmark(Description = "policy: ConcurrentDictionary by reference")]
    public bool PolicyByDictionary() => _dictionary.TryGetValue(_endpoint, out var policy) && policy.NeverShed;

    [Benchmark(Description = "policy: EndpointPolicyTable")]
    public bool PolicyByTable() => _table.Find(_endpoint) is { NeverShed: true };
}
