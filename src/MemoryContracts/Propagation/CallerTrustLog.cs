using System.Net;
using Microsoft.Extensions.Logging;

namespace MemoryContracts;

/// <summary>The log message of the trust decision behind proxies (event id 430, in the 400s of headers between services).</summary>
internal static partial class CallerTrustLog
{
    [LoggerMessage(EventId = 430, EventName = "RelayedForOutsider", Level = LogLevel.Information,
        Message = "A request from trusted proxy {Proxy} was relayed for an address outside propagation.trusted_networks (or its X-Forwarded-For/Forwarded header did not parse): such requests get no X-Memory-* or endpoint-load-metrics headers and their pressure headers are ignored. Logged once.")]
    public static partial void RelayedForOutsider(ILogger logger, IPAddress? proxy);
}
