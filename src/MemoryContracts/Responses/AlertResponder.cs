using Microsoft.Extensions.Logging;

namespace MemoryContracts;

/// <summary>
/// <c>alert</c>: one structured log per transition (up: Warning, Critical: Error; down: Information),
/// naming the binding constraint: the heap against its budget, or the container working set against
/// the container limit.
/// </summary>
internal sealed class AlertResponder : IMemoryPressureResponder
{
    private readonly ILogger _logger;

    public AlertResponder(ILogger<AlertResponder> logger) => _logger = logger;

    public string Name => BuiltInResponders.Alert;

    public ValueTask OnLevelChangedAsync(MemoryPressureChange change, CancellationToken cancellationToken)
    {
        var snapshot = change.Snapshot;
        if (!_logger.IsEnabled(LogLevel.Information))
        {
            return ValueTask.CompletedTask;
        }

        var capacityMb = snapshot.CapacityBytes / (1024 * 1024);
        var workingSetBinds = snapshot.WorkingSetRatio is { } workingSet && workingSet > snapshot.HeapRatio;
        var measure = workingSetBinds ? "container working set" : "heap";
        var bound = workingSetBinds ? "limit" : "budget";
        if (!change.IsEscalation)
        {
            ResponsesLog.PressureEased(_logger, change.PreviousLevel, change.Level, measure, snapshot.UsagePercent, capacityMb, bound);
        }
        else if (change.Level == PressureLevel.Critical)
        {
            ResponsesLog.PressureCritical(_logger, change.PreviousLevel, measure, snapshot.UsagePercent, capacityMb, bound, snapshot.DescribeModules());
        }
        else
        {
            ResponsesLog.PressureEscalated(_logger, change.PreviousLevel, change.Level, measure, snapshot.UsagePercent, capacityMb, bound, snapshot.DescribeModules());
        }

        return ValueTask.CompletedTask;
    }
}
