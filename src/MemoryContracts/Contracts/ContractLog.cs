using Microsoft.Extensions.Logging;

namespace MemoryContracts;

/// <summary>The log messages of the contract (event ids 1-99).</summary>
internal static partial class ContractLog
{
    [LoggerMessage(EventId = 1, EventName = "ContractLoaded", Level = LogLevel.Information,
        Message = "Memory contract {Version} loaded from {Path} ({Mode}); enforcing {ModuleCount} module(s): {Modules}")]
    public static partial void ContractLoaded(ILogger logger, string version, string path, MemoryContractMode mode, int moduleCount, string modules);

    [LoggerMessage(EventId = 2, EventName = "ContractGivenInCode", Level = LogLevel.Information,
        Message = "Memory contract {Version} given in code ({Mode}); enforcing {ModuleCount} module(s): {Modules}")]
    public static partial void ContractGivenInCode(ILogger logger, string version, MemoryContractMode mode, int moduleCount, string modules);

    [LoggerMessage(EventId = 3, EventName = "ContractReloaded", Level = LogLevel.Information,
        Message = "Memory contract reloaded from {Path}: {Version} ({Mode}); enforcing {ModuleCount} module(s): {Modules}")]
    public static partial void ContractReloaded(ILogger logger, string path, string version, MemoryContractMode mode, int moduleCount, string modules);

    [LoggerMessage(EventId = 4, EventName = "ContractReloadFailed", Level = LogLevel.Error,
        Message = "Memory contract reload from {Path} refused at line {Line}, column {Column} (key {Key}); the last good contract {Version} stays in force. {Error}")]
    public static partial void ContractReloadFailed(ILogger logger, string path, int? line, int? column, string? key, string version, string error, Exception exception);

    [LoggerMessage(EventId = 5, EventName = "ContractWatcherUnavailable", Level = LogLevel.Warning,
        Message = "Cannot watch {Path} for changes with a file system watcher ({Reason}); checking it every {PollSeconds} s instead")]
    public static partial void WatcherUnavailable(ILogger logger, string path, string reason, double pollSeconds);

    [LoggerMessage(EventId = 6, EventName = "ContractChangedHandlerFailed", Level = LogLevel.Error,
        Message = "A handler of the memory contract's Changed event threw; the new contract {Version} is in force")]
    public static partial void ChangedHandlerFailed(ILogger logger, string version, Exception exception);

    [LoggerMessage(EventId = 7, EventName = "ContractWatchFailed", Level = LogLevel.Error,
        Message = "Checking the memory contract {Path} for changes failed; the contract in force is unchanged")]
    public static partial void WatchFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 8, EventName = "ContractUnchanged", Level = LogLevel.Debug,
        Message = "Memory contract {Path} changed on disk but its text is the same; nothing to reload")]
    public static partial void ContractUnchanged(ILogger logger, string path);
}
