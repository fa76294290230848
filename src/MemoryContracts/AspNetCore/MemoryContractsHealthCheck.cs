using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MemoryContracts;

/// <summary>
/// The readiness check <c>memory_contracts</c>: Healthy at Normal, Degraded at Elevated and High,
/// Unhealthy at Critical and as soon as requests are being shed, so an orchestrator stops routing here.
/// In <c>mode: shadow</c> it never reports Unhealthy (taking the instance out of rotation would be
/// acting): Critical shows as Degraded, with the message saying so.
/// </summary>
internal sealed class MemoryContractsHealthCheck : IHealthCheck
{
    public const string Name = "memory_contracts";

    private readonly MemoryPressureMonitor _monitor;
    private readonly MemoryContractSource _contracts;

    public MemoryContractsHealthCheck(MemoryPressureMonitor monitor, MemoryContractSource contracts)
    {
        _monitor = monitor;
        _contracts = contracts;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var snapshot = _monitor.Current;
        var data = MemoryContractsHealthData.Create(snapshot);
        var level = MemoryContractsMetrics.LevelName(snapshot.Level);
        if (_contracts.Current.Mode == MemoryContractMode.Shadow && snapshot.Level > PressureLevel.Normal)
        {
            return Task.FromResult(HealthCheckResult.Degraded(
                $"Shadow mode: memory pressure is {level} ({snapshot.UsagePercent}% of the budget); enforcing would report {(snapshot.Level == PressureLevel.Critical ? "Unhealthy" : "Degraded")}.", data: data));
        }

        var result = snapshot switch
        {
            { Level: PressureLevel.Critical } => new HealthCheckResult(context.Registration.FailureStatus,
                $"Memory pressure is critical ({snapshot.UsagePercent}% of the budget).", data: data),
            { ShedFraction: > 0 } => new HealthCheckResult(context.Registration.FailureStatus,
                $"Memory pressure is {level} ({snapshot.UsagePercent}% of the budget); shedding {MemoryContractsHealthData.Percent(Math.Min(1, snapshot.ShedFraction))} of non-core requests.", data: data),
            { Level: PressureLevel.Elevated or PressureLevel.High } => HealthCheckResult.Degraded(
                $"Memory pressure is {level} ({snapshot.UsagePercent}% of the budget).", data: data),
            _ => HealthCheckResult.Healthy($"Memory pressure is normal ({snapshot.UsagePercent}% of the budget).", data),
        };
        return Task.FromResult(result);
    }
}
