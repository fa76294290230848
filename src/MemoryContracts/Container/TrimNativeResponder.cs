using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace MemoryContracts;

/// <summary>
/// <c>trim_native</c>: returns freed native memory to the operating system (glibc
/// <c>malloc_trim(0)</c>), so it stops counting in the container's working set. Where the C library
/// has none (musl, Windows, macOS) this is said once, at Information, and the responder does nothing.
/// </summary>
internal sealed class TrimNativeResponder : IMemoryPressureResponder
{
    /// <summary>The name used in the contract's <c>responses</c> lists.</summary>
    public const string ResponderName = "trim_native";

    private readonly INativeMemoryTrimmer _trimmer;
    private readonly ILogger _logger;
    private int _unsupportedLogged;

    public TrimNativeResponder(INativeMemoryTrimmer trimmer, ILogger<TrimNativeResponder> logger)
    {
        _trimmer = trimmer;
        _logger = logger;
    }

    public string Name => ResponderName;

    public ValueTask OnLevelChangedAsync(MemoryPressureChange change, CancellationToken cancellationToken)
    {
        if (!change.ShouldAct(Name))
        {
            return ValueTask.CompletedTask;
        }

        var before = Environment.WorkingSet;
        var started = Stopwatch.GetTimestamp();
        var outcome = _trimmer.Trim();
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (outcome == NativeTrimOutcome.Unsupported)
        {
            if (Interlocked.Exchange(ref _unsupportedLogged, 1) == 0)
            {
                ContainerLog.NativeTrimUnsupported(_logger, _trimmer.UnsupportedReason ?? "malloc_trim is not available");
            }

            return ValueTask.CompletedTask;
        }

        var text = outcome == NativeTrimOutcome.Released ? "returned memory to the OS" : "found nothing to return";
        ContainerLog.NativeMemoryTrimmed(_logger, change.Level, text, elapsed.TotalMilliseconds, before, Environment.WorkingSet);
        return ValueTask.CompletedTask;
    }
}
