using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy.Transforms;

namespace MemoryContracts;

/// <summary>
/// Runs on the trailers of every proxied response (where gRPC servers put their ORCA report): records
/// an <c>endpoint-load-metrics</c> trailer and removes the pressure trailers from what the client gets.
/// </summary>
internal sealed class MemoryHeadersTrailersTransform : ResponseTrailersTransform
{
    private readonly DestinationUsageStore _store;
    private readonly TimeProvider _time;

    public MemoryHeadersTrailersTransform(DestinationUsageStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
    }

    public override ValueTask ApplyAsync(ResponseTrailersTransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var received = context.ProxyResponse?.TrailingHeaders;
        if (received is not null
            && context.HttpContext.Features.Get<IReverseProxyFeature>()?.ProxiedDestination is { } destination
            && ProxiedHeaders.Get(received, MemoryHeaderNames.EndpointLoadMetrics) is { Count: > 0 } loadMetrics
            && ReportedUsage.TryRead(loadMetrics, StringValues.Empty, out var percent))
        {
            _store.GetOrCreate(destination).Report(percent, _time.GetTimestamp());
        }

        if (context.HttpContext.Features.Get<IHttpResponseTrailersFeature>()?.Trailers is { IsReadOnly: false } trailers)
        {
            ProxiedHeaders.Strip(received, trailers);
        }

        return ValueTask.CompletedTask;
    }
}
