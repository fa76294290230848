using Microsoft.Extensions.Logging;

namespace MemoryContracts;

/// <summary>Log messages of the guard (event ids 100–199).</summary>
internal static partial class GuardLog
{
    [LoggerMessage(EventId = 100, EventName = "GuardStarted", Level = LogLevel.Information,
        Message = "Memory guard started: contract {Version}, mode {Mode}, sampling every {IntervalMs} ms, modules {Modules}.")]
    public static partial void GuardStarted(ILogger logger, string version, MemoryContractMode mode, double intervalMs, string modules);

    [LoggerMessage(EventId = 101, EventName = "SamplerFailed", Level = LogLevel.Error,
        Message = "The memory sampler threw; this sample is skipped and the guard goes on.")]
    public static partial void SamplerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 102, EventName = "TickFailed", Level = LogLevel.Error,
        Message = "A memory guard tick failed; the guard goes on.")]
    public static partial void TickFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 103, EventName = "ResponderFailed", Level = LogLevel.Error,
        Message = "Responder '{Responder}' threw on the change to {Level}; the other responders still run.")]
    public static partial void ResponderFailed(ILogger logger, string responder, PressureLevel level, Exception exception);

    [LoggerMessage(EventId = 104, EventName = "ShadowTransition", Level = LogLevel.Warning,
        Message = "Shadow mode: memory pressure {PreviousLevel} → {Level} (heap at {UsagePercent}% of budget); would run: {Responders}.")]
    public static partial void ShadowTransition(ILogger logger, PressureLevel previousLevel, PressureLevel level, int usagePercent, string responders);

    [LoggerMessage(EventId = 105, EventName = "ModuleLevelChanged", Level = LogLevel.Information,
        Message = "Module '{Module}' pressure {PreviousLevel} → {Level} (owns {HeapRatio:P0} of its heap budget).")]
    public static partial void ModuleLevelChanged(ILogger logger, string module, PressureLevel previousLevel, PressureLevel level, double heapRatio);

    [LoggerMessage(EventId = 106, EventName = "ContractApplied", Level = LogLevel.Information,
        Message = "Memory guard now enforces contract {Version} ({ModuleCount} modules).")]
    public static partial void ContractApplied(ILogger logger, string version, int moduleCount);

    [LoggerMessage(EventId = 107, EventName = "ContractRejected", Level = LogLevel.Error,
        Message = "Memory guard keeps its current contract: the new one cannot run.")]
    public static partial void ContractRejected(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 108, EventName = "GcTriggerTightened", Level = LogLevel.Information,
        Message = "A heap ratio passed gc_trigger_ratio: GC tightened.")]
    public static partial void GcTriggerTightened(ILogger logger);

    [LoggerMessage(EventId = 109, EventName = "GcTriggerReleased", Level = LogLevel.Information,
        Message = "Heap ratios are back under gc_trigger_ratio: GC settings restored.")]
    public static partial void GcTriggerReleased(ILogger logger);

    [LoggerMessage(EventId = 110, EventName = "PredictedCritical", Level = LogLevel.Warning,
        Message = "Heap growing fast ({HeapBytes} bytes, {UsagePercent}% of budget): projected past the critical threshold within {Samples} samples; escalating to Critical now.")]
    public static partial void PredictedCritical(ILogger logger, long heapBytes, int usagePercent, int samples);

    [LoggerMessage(EventId = 111, EventName = "ListenerFailed", Level = LogLevel.Error,
        Message = "An IMemoryPressure.OnChange listener threw; the other listeners still run.")]
    public static partial void ListenerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 112, EventName = "RespondersUndone", Level = LogLevel.Information,
        Message = "Contract {Version} ({Mode}) no longer runs {Responders} at {Level}: telling them to undo, as on a return to Normal.")]
    public static partial void RespondersUndone(ILogger logger, string version, MemoryContractMode mode, string responders, PressureLevel level);

    [LoggerMessage(EventId = 113, EventName = "ResponderTimedOut", Level = LogLevel.Error,
        Message = "Responder '{Responder}' did not finish within {TimeoutSeconds} s of the change to {Level} (responses.timeout_seconds); its token is cancelled and it will not be started again until it ends.")]
    public static partial void ResponderTimedOut(ILogger logger, string responder, PressureLevel level, double timeoutSeconds);

    [LoggerMessage(EventId = 114, EventName = "ResponderChangeReplaced", Level = LogLevel.Debug,
        Message = "Responder '{Responder}' is still busy: its queued change to {ReplacedLevel} is replaced by the change to {Level}.")]
    public static partial void ResponderChangeReplaced(ILogger logger, string responder, PressureLevel replacedLevel, PressureLevel level);
}
