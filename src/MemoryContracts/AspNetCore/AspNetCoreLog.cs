using Microsoft.Extensions.Logging;

namespace MemoryContracts;

/// <summary>The middleware's and health checks' log messages (event ids 300–399).</summary>
internal static partial class AspNetCoreLog
{
    [LoggerMessage(EventId = 300, EventName = "SheddingStarted", Level = LogLevel.Warning,
        Message = "Memory pressure {Level}: shedding {ShedPercent:0}% of non-core requests with 429.")]
    public static partial void SheddingStarted(ILogger logger, PressureLevel level, double shedPercent);

    [LoggerMessage(EventId = 301, EventName = "SheddingStopped", Level = LogLevel.Information,
        Message = "Memory pressure {Level}: shedding stopped.")]
    public static partial void SheddingStopped(ILogger logger, PressureLevel level);

    [LoggerMessage(EventId = 302, EventName = "SheddingChanged", Level = LogLevel.Information,
        Message = "Memory pressure {Level}: now shedding {ShedPercent:0}% of non-core requests.")]
    public static partial void SheddingChanged(ILogger logger, PressureLevel level, double shedPercent);

    [LoggerMessage(EventId = 303, EventName = "RequestShed", Level = LogLevel.Debug,
        Message = "Shed {Method} {Path} (module {Module}) at memory pressure {Level}.")]
    public static partial void RequestShed(ILogger logger, string method, string? path, string module, PressureLevel level);

    [LoggerMessage(EventId = 304, EventName = "ShadowWouldShed", Level = LogLevel.Warning,
        Message = "Shadow mode: memory pressure {Level} would shed {ShedPercent:0}% of non-core requests; serving them all.")]
    public static partial void ShadowWouldShed(ILogger logger, PressureLevel level, double shedPercent);

    [LoggerMessage(EventId = 305, EventName = "EndpointProblemsAfterReload", Level = LogLevel.Error,
        Message = "After the contract reload: {Problems}")]
    public static partial void EndpointProblemsAfterReload(ILogger logger, string problems);

    [LoggerMessage(EventId = 306, EventName = "NoEndpointDataSource", Level = LogLevel.Debug,
        Message = "No EndpointDataSource is registered (routing not added): endpoint modules are not checked at start-up.")]
    public static partial void NoEndpointDataSource(ILogger logger);
}
