using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Model;

namespace MemoryContracts;

/// <summary>
/// Learns what a destination's response says of its memory: the usage it reports (ORCA or
/// <c>X-Memory-Usage</c>) and, for a 429/503 with <c>X-Memory-Usage</c> and <c>Retry-After</c>, the window
/// it asked to be left alone. Fed by the proxied responses (<see cref="MemoryHeadersResponseTransform"/>)
/// and by the active health probes (<see cref="MemoryPressureActiveHealthPolicy"/>).
/// </summary>
internal sealed class DestinationReportLearner
{
    private readonly DestinationUsageStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public DestinationReportLearner(DestinationUsageStore store, TimeProvider time, ILogger<DestinationReportLearner> logger)
    {
        _store = store;
        _time = time;
        _logger = logger;
    }

    /// <summary>Records what <paramref name="received"/>, an answer of <paramref name="destination"/>, reports.</summary>
    public void Learn(DestinationState destination, HttpResponseMessage received)
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

        var statusCode = (int)received.StatusCode;
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
