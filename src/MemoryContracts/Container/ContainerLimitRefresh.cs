using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MemoryContracts;

/// <summary>
/// Acts on a change of the container memory limit (a Kubernetes in-place resize): logs it and tells
/// the runtime once (<see cref="GC.RefreshMemoryLimit"/>), so the GC's own limit and the capacity
/// that <c>max_heap_percent</c> budgets resolve against follow the new limit. The runtime refuses
/// (<see cref="InvalidOperationException"/>) when the GC has committed more than the new limit
/// allows: that is logged, never fatal. Not thread-safe: one caller (the sampler).
/// </summary>
internal sealed class ContainerLimitRefresh
{
    private readonly ContainerLimitTracker _tracker = new();
    private readonly ILogger _logger;
    private readonly Action _refreshGcLimit;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="logger">Where changes and refusals are logged; none when null.</param>
    /// <param name="refreshGcLimit">Tells the runtime; the default value is <see cref="GC.RefreshMemoryLimit"/> (tests give their own).</param>
    public ContainerLimitRefresh(ILogger? logger = null, Action? refreshGcLimit = null)
    {
        _logger = logger ?? NullLogger.Instance;
        _refreshGcLimit = refreshGcLimit ?? GC.RefreshMemoryLimit;
    }

    /// <summary>Observes a reading; on a limit change, logs it and refreshes the runtime's limit once.</summary>
    /// <param name="reading">The latest reading.</param>
    /// <returns>Whether the limit changed (the caller should read the GC's capacity again).</returns>
    public bool Observe(in ContainerMemoryReading reading)
    {
        if (!_tracker.TryObserve(reading, out var change))
        {
            return false;
        }

        if (_logger.IsEnabled(LogLevel.Information))
        {
#pragma warning disable CA1873 // Guarded by IsEnabled just above.
            ContainerLog.LimitChanged(_logger, ContainerLimitChange.Describe(change.PreviousBytes), ContainerLimitChange.Describe(change.LimitBytes));
#pragma warning restore CA1873
        }
        try
        {
            _refreshGcLimit();
        }
        catch (InvalidOperationException e)
        {
#pragma warning disable CA1873 // A resize is rare; the text is built once.
            ContainerLog.GcLimitRefreshRefused(_logger, ContainerLimitChange.Describe(change.LimitBytes), e);
#pragma warning restore CA1873
        }

        return true;
    }
}
