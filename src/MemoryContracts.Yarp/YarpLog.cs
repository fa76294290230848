using Microsoft.Extensions.Logging;

namespace MemoryContracts;

/// <summary>The gateway policies' log messages (event ids 900-909).</summary>
internal static partial class YarpLog
{
    [LoggerMessage(EventId = 900, Level = LogLevel.Information,
        Message = "Destination '{DestinationId}' shed a request at {UsagePercent}% usage (status {StatusCode}) and asked to be left alone for {Window}.")]
    public static partial void DestinationRejecting(ILogger logger, string destinationId, int usagePercent, int statusCode, TimeSpan window);

    [LoggerMessage(EventId = 901, Level = LogLevel.Debug,
        Message = "Destination '{DestinationId}' sent a pressure header the gateway could not read; it is ignored.")]
    public static partial void MalformedReport(ILogger logger, string destinationId);

    [LoggerMessage(EventId = 902, Level = LogLevel.Warning,
        Message = "Cluster '{ClusterId}' sets metadata '{Key}' to '{Value}', which is not a whole number of at least 1; the MemoryPressure active health policy uses {DefaultThreshold}.")]
    public static partial void ThresholdRefused(ILogger logger, string clusterId, string key, string value, int defaultThreshold);
}
