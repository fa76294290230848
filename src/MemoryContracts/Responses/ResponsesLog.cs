using Microsoft.Extensions.Logging;

namespace MemoryContracts;

/// <summary>Log messages of the built-in responders (event ids 200–299).</summary>
internal static partial class ResponsesLog
{
    [LoggerMessage(EventId = 200, EventName = "PressureEscalated", Level = LogLevel.Warning,
        Message = "Memory pressure rose from {PreviousLevel} to {Level}: {Measure} at {UsagePercent}% of the {CapacityMb} MB {Bound}. Modules: {Modules}.")]
    public static partial void PressureEscalated(ILogger logger, PressureLevel previousLevel, PressureLevel level, string measure, int usagePercent, long capacityMb, string bound, string modules);

    [LoggerMessage(EventId = 201, EventName = "PressureCritical", Level = LogLevel.Error,
        Message = "Memory pressure is Critical (from {PreviousLevel}): {Measure} at {UsagePercent}% of the {CapacityMb} MB {Bound}. Modules: {Modules}.")]
    public static partial void PressureCritical(ILogger logger, PressureLevel previousLevel, string measure, int usagePercent, long capacityMb, string bound, string modules);

    [LoggerMessage(EventId = 202, EventName = "PressureEased", Level = LogLevel.Information,
        Message = "Memory pressure eased from {PreviousLevel} to {Level}: {Measure} at {UsagePercent}% of the {CapacityMb} MB {Bound}.")]
    public static partial void PressureEased(ILogger logger, PressureLevel previousLevel, PressureLevel level, string measure, int usagePercent, long capacityMb, string bound);

    [LoggerMessage(EventId = 210, EventName = "CachesTrimmed", Level = LogLevel.Information,
        Message = "Trimmed {Count} caches and trimmables by {Fraction:P0} at {Level}: about {FreedBytes} bytes freed.")]
    public static partial void CachesTrimmed(ILogger logger, int count, double fraction, PressureLevel level, long freedBytes);

    [LoggerMessage(EventId = 211, EventName = "TrimFailed", Level = LogLevel.Error,
        Message = "Trimming '{Trimmable}' of module '{Module}' failed.")]
    public static partial void TrimFailed(ILogger logger, string trimmable, string module, Exception exception);

    [LoggerMessage(EventId = 212, EventName = "EstimateFailed", Level = LogLevel.Error,
        Message = "Reading the estimated bytes of '{Trimmable}' of module '{Module}' failed: it counts as 0 bytes until it answers (logged once).")]
    public static partial void EstimateFailed(ILogger logger, string trimmable, string module, Exception exception);

    [LoggerMessage(EventId = 220, EventName = "GcTightened", Level = LogLevel.Information,
        Message = "GC tightened ({Reason}): latency mode {LatencyMode}, large object heap compaction requested.")]
    public static partial void GcTightened(ILogger logger, TighteningReasons reason, System.Runtime.GCLatencyMode latencyMode);

    [LoggerMessage(EventId = 221, EventName = "GcRestored", Level = LogLevel.Information,
        Message = "GC settings restored: latency mode {LatencyMode}.")]
    public static partial void GcRestored(ILogger logger, System.Runtime.GCLatencyMode latencyMode);

    [LoggerMessage(EventId = 230, EventName = "GcInduced", Level = LogLevel.Warning,
        Message = "Induced a blocking compacting gen-2 collection at {Level}: heap {BeforeBytes} → {AfterBytes} bytes in {ElapsedMs:F1} ms.")]
    public static partial void GcInduced(ILogger logger, PressureLevel level, long beforeBytes, long afterBytes, double elapsedMs);

    [LoggerMessage(EventId = 231, EventName = "GcInductionSkipped", Level = LogLevel.Debug,
        Message = "Skipped an induced collection: the last one was {SinceSeconds:F0} s ago (minimum {MinIntervalSeconds:F0} s).")]
    public static partial void GcInductionSkipped(ILogger logger, double sinceSeconds, double minIntervalSeconds);

    // Information, not Warning: the middleware logs what it actually sheds (events 300-302, with the
    // fraction), so one shedding episode raises one warning, and a service without the middleware
    // is not told that requests are being shed.
    [LoggerMessage(EventId = 240, EventName = "SheddingStarted", Level = LogLevel.Information,
        Message = "shed_requests in force at {Level}: UseMemoryContracts sheds non-core requests with 429.")]
    public static partial void SheddingStarted(ILogger logger, PressureLevel level);

    [LoggerMessage(EventId = 241, EventName = "SheddingStopped", Level = LogLevel.Information,
        Message = "shed_requests lifted: pressure is {Level}.")]
    public static partial void SheddingStopped(ILogger logger, PressureLevel level);

    [LoggerMessage(EventId = 270, EventName = "DrainingStarted", Level = LogLevel.Warning,
        Message = "drain_connections in force at {Level}: connections close after their response (HTTP/1.1 Connection: close, HTTP/2 GOAWAY), so clients reconnect elsewhere.")]
    public static partial void DrainingStarted(ILogger logger, PressureLevel level);

    [LoggerMessage(EventId = 271, EventName = "DrainingStopped", Level = LogLevel.Information,
        Message = "drain_connections lifted: pressure is {Level}; connections are kept alive again.")]
    public static partial void DrainingStopped(ILogger logger, PressureLevel level);

    [LoggerMessage(EventId = 250, EventName = "SnapshotWritten", Level = LogLevel.Warning,
        Message = "Wrote a memory diagnostic snapshot at {Level} to {Path}.")]
    public static partial void SnapshotWritten(ILogger logger, PressureLevel level, string path);

    [LoggerMessage(EventId = 251, EventName = "SnapshotSkipped", Level = LogLevel.Debug,
        Message = "Skipped a diagnostic snapshot: the last one was {SinceSeconds:F0} s ago (minimum {MinIntervalSeconds:F0} s).")]
    public static partial void SnapshotSkipped(ILogger logger, double sinceSeconds, double minIntervalSeconds);

    [LoggerMessage(EventId = 252, EventName = "SnapshotRefused", Level = LogLevel.Error,
        Message = "Did not write a diagnostic snapshot: the directory {Directory} is not private ({Reason}). Remove it, or set snapshot.directory.")]
    public static partial void SnapshotRefused(ILogger logger, string directory, string reason);

    [LoggerMessage(EventId = 260, EventName = "LogsQuieted", Level = LogLevel.Warning,
        Message = "Quieted log categories {Categories} to {MinimumLevel} while memory pressure holds.")]
    public static partial void LogsQuieted(ILogger logger, string categories, LogLevel minimumLevel);

    [LoggerMessage(EventId = 261, EventName = "LogsRestored", Level = LogLevel.Information,
        Message = "Restored the log levels quieted under memory pressure.")]
    public static partial void LogsRestored(ILogger logger);
}
