using Microsoft.Extensions.Logging;

namespace MemoryContracts;

/// <summary><c>alert</c>: one structured log per transition (up: Warning, Critical: Error; down: Information).</summary>
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
        if (!change.IsEscalation)
        {
            ResponsesLog.PressureEased(_logger, change.PreviousLevel, change.Level, snapshot.UsagePercent, capacityMb);
        }
        else if (change.Level == PressureLevel.Critical)
        {
            ResponsesLog.PressureCritical(_logger, change.PreviousLevel, snapshot.UsagePercent, capacityMb, snapshot.DescribeModules());
        }
        else
        {
            ResponsesLog.PressureEscalated(_logger, change.PreviousLevel, change.Level, snapshot.UsagePercent, capacityMb, snapshot.DescribeModules());
        }

        return ValueTask.CompletedTask;
    }
}
