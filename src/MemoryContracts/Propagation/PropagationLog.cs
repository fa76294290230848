using Microsoft.Extensions.Logging;

namespace MemoryContracts;

/// <summary>The log messages of headers between services (event ids 400–499).</summary>
internal static partial class PropagationLog
{
    [LoggerMessage(EventId = 405, EventName = "MalformedHeader", Level = LogLevel.Debug,
        Message = "Ignored a malformed {Header} header from a {Origin}.")]
    public static partial void MalformedHeader(ILogger logger, string header, string origin);

    [LoggerMessage(EventId = 408, EventName = "CloudMetadataHostIgnored", Level = LogLevel.Warning,
        Message = "propagation.outbound_hosts entry '{Entry}' names a cloud metadata service: X-Memory-* headers are never sent to it, whatever the patterns say.")]
    public static partial void CloudMetadataHostIgnored(ILogger logger, string entry);

    [LoggerMessage(EventId = 409, EventName = "OutboundHeadersWithheld", Level = LogLevel.Warning,
        Message = "HttpClient '{ClientName}' follows redirects in its primary handler ({Reason}), where X-Memory-* headers would follow a redirect to any host: this client sends none. Set AllowAutoRedirect = false, or give Credentials as a CredentialCache, to have MemoryContracts follow its redirects.")]
    public static partial void OutboundHeadersWithheld(ILogger logger, string clientName, string reason);

    [LoggerMessage(EventId = 420, EventName = "DownstreamThrottlingStarted", Level = LogLevel.Warning,
        Message = "Downstream {Authority}: {Rejected} of the last {Requests} calls were not accepted (memory rejections, or refused here): calls outside core requests are now refused locally, with probability {Probability:0.00} at first.")]
    public static partial void DownstreamThrottlingStarted(ILogger logger, string authority, long rejected, long requests, double probability);

    [LoggerMessage(EventId = 421, EventName = "DownstreamThrottlingEnded", Level = LogLevel.Information,
        Message = "Downstream {Authority}: {Accepts} of the last {Requests} calls were accepted; no call is refused locally any more.")]
    public static partial void DownstreamThrottlingEnded(ILogger logger, string authority, long requests, long accepts);

    [LoggerMessage(EventId = 422, EventName = "DownstreamThrottlingShadow", Level = LogLevel.Information,
        Message = "Downstream {Authority}: {Rejected} of the last {Requests} calls were memory rejections; shadow mode: calls outside core requests would be refused locally with probability {Probability:0.00}, and none is.")]
    public static partial void DownstreamThrottlingShadow(ILogger logger, string authority, long rejected, long requests, double probability);

    [LoggerMessage(EventId = 423, EventName = "DownstreamThrottleCapacityReached", Level = LogLevel.Warning,
        Message = "Calls to downstream {Authority} go out untracked by downstream backoff: {Capacity} busy downstreams are already followed. Logged once.")]
    public static partial void DownstreamThrottleCapacityReached(ILogger logger, string authority, int capacity);
}
