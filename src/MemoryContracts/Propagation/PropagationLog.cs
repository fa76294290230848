using Microsoft.Extensions.Logging;

namespace MemoryContracts;

/// <summary>The log messages of headers between services (event ids 400–499).</summary>
internal static partial class PropagationLog
{
    [LoggerMessage(EventId = 400, EventName = "DownstreamIsolated", Level = LogLevel.Warning,
        Message = "Downstream {Authority} reported memory pressure (status {StatusCode}, X-Memory-Usage {UsagePercent}%): calls to it fail fast for {WindowSeconds} s.")]
    public static partial void DownstreamIsolated(ILogger logger, string authority, int statusCode, int usagePercent, double windowSeconds);

    [LoggerMessage(EventId = 401, EventName = "DownstreamIsolationExtended", Level = LogLevel.Debug,
        Message = "Downstream {Authority} still reports memory pressure: isolation extended by {WindowSeconds} s.")]
    public static partial void DownstreamIsolationExtended(ILogger logger, string authority, double windowSeconds);

    [LoggerMessage(EventId = 402, EventName = "DownstreamRestored", Level = LogLevel.Information,
        Message = "Downstream {Authority} isolation ended after {IsolatedSeconds} s: calls flow again.")]
    public static partial void DownstreamRestored(ILogger logger, string authority, double isolatedSeconds);

    [LoggerMessage(EventId = 403, EventName = "DownstreamIsolationShadow", Level = LogLevel.Information,
        Message = "Downstream {Authority} reported memory pressure (status {StatusCode}, X-Memory-Usage {UsagePercent}%); shadow mode: it would be isolated for {WindowSeconds} s.")]
    public static partial void DownstreamIsolationShadow(ILogger logger, string authority, int statusCode, int usagePercent, double windowSeconds);

    [LoggerMessage(EventId = 404, EventName = "DownstreamIsolationCapacityReached", Level = LogLevel.Warning,
        Message = "Downstream {Authority} reported memory pressure but {Capacity} downstreams are already isolated; it is not isolated.")]
    public static partial void DownstreamIsolationCapacityReached(ILogger logger, string authority, int capacity);

    [LoggerMessage(EventId = 405, EventName = "MalformedHeader", Level = LogLevel.Debug,
        Message = "Ignored a malformed {Header} header from a {Origin}.")]
    public static partial void MalformedHeader(ILogger logger, string header, string origin);

    [LoggerMessage(EventId = 407, EventName = "DownstreamRestoreFailed", Level = LogLevel.Error,
        Message = "Closing the circuit of downstream {Authority} failed.")]
    public static partial void RestoreFailed(ILogger logger, string authority, Exception exception);

    [LoggerMessage(EventId = 408, EventName = "CloudMetadataHostIgnored", Level = LogLevel.Warning,
        Message = "propagation.outbound_hosts entry '{Entry}' names a cloud metadata service: X-Memory-* headers are never sent to it, whatever the patterns say.")]
    public static partial void CloudMetadataHostIgnored(ILogger logger, string entry);

    [LoggerMessage(EventId = 409, EventName = "OutboundHeadersWithheld", Level = LogLevel.Warning,
        Message = "HttpClient '{ClientName}' follows redirects in its primary handler ({Reason}), where X-Memory-* headers would follow a redirect to any host: this client sends none. Set AllowAutoRedirect = false, or give Credentials as a CredentialCache, to have MemoryContracts follow its redirects.")]
    public static partial void OutboundHeadersWithheld(ILogger logger, string clientName, string reason);
}
