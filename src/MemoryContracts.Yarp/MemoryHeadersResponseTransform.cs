using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy.Transforms;

namespace MemoryContracts;

/// <summary>
/// Runs on every proxied response: records the usage the destination reports (ORCA or
/// <c>X-Memory-Usage</c>) and, for a 429/503 with <c>X-Memory-Usage</c> and <c>Retry-After</c>, the
/// window it asked to be left alone; then removes the pressure headers from what the client gets.
/// </summary>
internal sealed class MemoryHeadersResponseTransform : ResponseTransform
{
    private readonly DestinationUsageStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public MemoryHeadersResponseTransform(DestinationUsageStore store, TimeProvider time, ILogger<MemoryHeadersResponseTransform> logger)
    {
        _store = store;
        _time = time;
        _logger = logger;
    }

    public override ValueTask ApplyAsync(ResponseTransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var received = context.ProxyResponse;
        if (received is not null && context.HttpContext.Features.Get<IReverseProxyFeature>()?.ProxiedDestination is { } destination)
        {
            Learn(destination, received, (int)received.StatusCode);
        }

        ProxiedHeaders.Strip(received?.Headers, context.HttpContext.Response.Headers);
        return ValueTask.CompletedTask;
    }

    private void Learn(DestinationState destination, HttpResponseMessage received, int statusCode)
    {
        var usageHeader = ProxiedHeaders.Get(received.Headers, MemoryHeaderNames.Usage);
        var loadMetrics = ProxiedHeaders.Get(received.Headers, MemoryHeaderNames.EndpointLoadMetrics);
        if (usageHeader.Count == 0 && loadMetrics.Count == 0)
        {
            return;
        }

        var now = _time.GetTimestamp();
        var usage = _store.GetOrCreate(destination);
        if (ReportedUsage.TryRead(loadMetrics, usageHeader, out var percent))
        {
            usage.Report(percent, now);
        }
        else
        {
            YarpLog.MalformedReport(_logger, destination.DestinationId);
        }

        if (statusCode is StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable
            && MemoryHeaderParser.ParseUsage(usageHeader, out var shedAt) == HeaderParseResult.Valid
            && RetryAfterParser.TryParse(ProxiedHeaders.Get(received.Headers, MemoryHeaderNames.RetryAfter), _time.GetUtcNow(), out var window))
        {
            var alreadyRejecting = usage.RejectionRemaining(now, _time) > TimeSpan.Zero;
            usage.Reject(window, now, _time);
            if (!alreadyRejecting)
            {
                YarpLog.DestinationRejecting(_logger, destination.DestinationId, shedAt, statusCode, window);
            }
        }
    }
}
