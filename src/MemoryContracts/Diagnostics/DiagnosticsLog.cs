using Microsoft.Extensions.Logging;

namespace MemoryContracts;

/// <summary>Log messages of leak detection, the allocation profile and the <c>dump</c> response (event ids 700–799).</summary>
internal static partial class DiagnosticsLog
{
    private const double BytesPerMegabyte = 1024 * 1024;

    /// <summary>Logs a newly suspected leak (event 700), with every signal's growth.</summary>
    /// <param name="logger">The logger.</param>
    /// <param name="verdict">The detector's verdict.</param>
    public static void LeakSuspected(ILogger logger, in LeakVerdict verdict) =>
        LeakSuspected(
            logger,
            verdict.Grew,
            verdict.FullGcs,
            verdict.Heap.First / BytesPerMegabyte,
            verdict.Heap.Last / BytesPerMegabyte,
            verdict.Heap.Growth / BytesPerMegabyte,
            verdict.ThreadPoolThreads.First,
            verdict.ThreadPoolThreads.Last,
            verdict.Timers.First,
            verdict.Timers.Last);

    [LoggerMessage(EventId = 700, EventName = "LeakSuspected", Level = LogLevel.Warning,
        Message = "A memory leak is suspected: {Signals} grew over the last {FullGcs} full collections. Heap left after a full collection {FirstMb:F1} → {LastMb:F1} MB ({GrowthMb:+0.0;-0.0} MB); thread-pool threads {FirstThreads} → {LastThreads}; active timers {FirstTimers} → {LastTimers}.")]
    private static partial void LeakSuspected(ILogger logger, LeakSignals signals, int fullGcs, double firstMb, double lastMb, double growthMb, long firstThreads, long lastThreads, long firstTimers, long lastTimers);

    [LoggerMessage(EventId = 701, EventName = "LeakCleared", Level = LogLevel.Information,
        Message = "No leak suspected any more: nothing grew over the last {FullGcs} full collections.")]
    public static partial void LeakCleared(ILogger logger, int fullGcs);

    [LoggerMessage(EventId = 702, EventName = "LeakWatchFailed", Level = LogLevel.Error,
        Message = "Leak detection failed to read or judge a full collection; it goes on at the next tick.")]
    public static partial void LeakWatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 710, EventName = "AllocationProfileStarted", Level = LogLevel.Information,
        Message = "Allocation sampling on at {Level}: the runtime's AllocationSampled events feed the allocation profile.")]
    public static partial void AllocationProfileStarted(ILogger logger, PressureLevel level);

    [LoggerMessage(EventId = 711, EventName = "AllocationProfileStopped", Level = LogLevel.Information,
        Message = "Allocation sampling off: {Samples} samples, about {EstimatedMb:F0} MB allocated; top allocator {TopType} ({TopShare:P0}).")]
    public static partial void AllocationProfileStopped(ILogger logger, long samples, double estimatedMb, string topType, double topShare);

    [LoggerMessage(EventId = 720, EventName = "DumpWritten", Level = LogLevel.Warning,
        Message = "Wrote a heap dump at {Level} to {Path} ({SizeMb:F0} MB in {ElapsedSeconds:F1} s). Open it with 'dotnet-dump analyze'.")]
    public static partial void DumpWritten(ILogger logger, PressureLevel level, string path, double sizeMb, double elapsedSeconds);

    [LoggerMessage(EventId = 721, EventName = "DumpSkipped", Level = LogLevel.Debug,
        Message = "Skipped a heap dump: the last one was {SinceSeconds:F0} s ago (minimum {MinIntervalSeconds:F0} s).")]
    public static partial void DumpSkipped(ILogger logger, double sinceSeconds, double minIntervalSeconds);

    [LoggerMessage(EventId = 722, EventName = "DumpBusy", Level = LogLevel.Debug,
        Message = "Skipped a heap dump at {Level}: one is being written.")]
    public static partial void DumpBusy(ILogger logger, PressureLevel level);

    [LoggerMessage(EventId = 723, EventName = "DumpFailed", Level = LogLevel.Error,
        Message = "Writing a heap dump at {Level} to {Path} failed.")]
    public static partial void DumpFailed(ILogger logger, PressureLevel level, string path, Exception exception);

    [LoggerMessage(EventId = 725, EventName = "DumpRefused", Level = LogLevel.Error,
        Message = "No heap dump written: the default dump directory {Directory} is refused because {Reason}. Set responses.dump.directory, or remove it so that it is created private (0700).")]
    public static partial void DumpRefused(ILogger logger, string directory, string reason);

    [LoggerMessage(EventId = 724, EventName = "DumpsPruned", Level = LogLevel.Information,
        Message = "Deleted {Count} old heap dumps past max_files {MaxFiles} in {Directory}.")]
    public static partial void DumpsPruned(ILogger logger, int count, int maxFiles, string directory);
}
