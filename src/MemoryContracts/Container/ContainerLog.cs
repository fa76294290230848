using Microsoft.Extensions.Logging;

namespace MemoryContracts;

/// <summary>Log messages of container memory: the cgroup reader and <c>trim_native</c> (event ids 500–549).</summary>
internal static partial class ContainerLog
{
    [LoggerMessage(EventId = 500, EventName = "ContainerCgroupFound", Level = LogLevel.Information,
        Message = "Container memory: cgroup {Version} at {Directory}.")]
    public static partial void CgroupFound(ILogger logger, CgroupVersion version, string directory);

    [LoggerMessage(EventId = 501, EventName = "ContainerMemoryUnavailable", Level = LogLevel.Information,
        Message = "Container memory is not available: {Problem}. The container working set is not graded.")]
    public static partial void MemoryUnavailable(ILogger logger, string problem);

    [LoggerMessage(EventId = 502, EventName = "ContainerCgroupReadFailed", Level = LogLevel.Warning,
        Message = "Reading {Path} failed; container memory is not available until the cgroup is found again (tried every {RetrySeconds:F0} s).")]
    public static partial void CgroupReadFailed(ILogger logger, string path, double retrySeconds, Exception exception);

    [LoggerMessage(EventId = 503, EventName = "ContainerMemoryFigureUnusable", Level = LogLevel.Warning,
        Message = "A container memory figure is not available: {Problem}.")]
    public static partial void FigureUnusable(ILogger logger, string problem);

    [LoggerMessage(EventId = 504, EventName = "ContainerCgroupLost", Level = LogLevel.Warning,
        Message = "The memory cgroup could not be found again: {Problem}. Retried every {RetrySeconds:F0} s.")]
    public static partial void CgroupLost(ILogger logger, string problem, double retrySeconds);

    [LoggerMessage(EventId = 505, EventName = "ContainerLimitChanged", Level = LogLevel.Information,
        Message = "The container memory limit changed from {PreviousLimit} to {Limit}.")]
    public static partial void LimitChanged(ILogger logger, string previousLimit, string limit);

    [LoggerMessage(EventId = 506, EventName = "ContainerGcLimitRefreshRefused", Level = LogLevel.Warning,
        Message = "The runtime refused to adopt the new container memory limit {Limit} (GC.RefreshMemoryLimit): the GC has committed more than it allows. The GC keeps its previous limit; the working set is graded against the new one.")]
    public static partial void GcLimitRefreshRefused(ILogger logger, string limit, Exception exception);

    [LoggerMessage(EventId = 510, EventName = "NativeTrimUnsupported", Level = LogLevel.Information,
        Message = "trim_native does nothing here: {Reason}.")]
    public static partial void NativeTrimUnsupported(ILogger logger, string reason);

    [LoggerMessage(EventId = 511, EventName = "NativeMemoryTrimmed", Level = LogLevel.Information,
        Message = "trim_native at {Level}: malloc_trim {Outcome} in {ElapsedMs:F1} ms; resident set {BeforeBytes} → {AfterBytes} bytes.")]
    public static partial void NativeMemoryTrimmed(ILogger logger, PressureLevel level, string outcome, double elapsedMs, long beforeBytes, long afterBytes);
}
