using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MemoryContracts;

/// <summary>
/// The readiness check <c>memory_contracts</c>: its registration's failure status (Unhealthy) from
/// <c>health.unready_at</c> up (Critical by default; High; or never), Degraded at Elevated and High
/// below that (also while scaled shedding runs at High: a spike that reaches every replica must not
/// empty the whole Service), Healthy at Normal (DESIGN §13). In <c>mode: shadow</c> it never fails
/// (taking the instance out of rotation would be acting): it reports Degraded under pressure, with a
/// message saying what enforcing would shed and report.
/// </summary>
internal sealed class MemoryContractsHealthCheck : IHealthCheck
{
    public const string Name = "memory_contracts";

    private readonly MemoryPressureMonitor _monitor;
    private readonly DiagnosticsState _diagnostics;

    public MemoryContractsHealthCheck(MemoryPressureMonitor monitor, DiagnosticsState diagnostics)
    {
        _monitor = monitor;
        _diagnostics = diagnostics;
    }

    /// <summary>The status enforcing reports at <paramref name="level"/>.</summary>
    internal static HealthStatus EnforcedStatus(PressureLevel level, PressureLevel? unreadyAt, HealthStatus failureStatus) =>
        unreadyAt is { } threshold && level >= threshold ? failureStatus
        : level > PressureLevel.Normal ? HealthStatus.Degraded
        : HealthStatus.Healthy;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var snapshot = _monitor.Current;
        var plan = snapshot.Plan;
        var data = MemoryContractsHealthData.Create(snapshot, _diagnostics);
        var pressure = $"is {MemoryContractsMetrics.LevelName(snapshot.Level)} ({snapshot.UsagePercent}% of the budget)";
        var status = EnforcedStatus(snapshot.Level, plan.Contract.Health.UnreadyAt, context.Registration.FailureStatus);

        if (plan.IsShadow)
        {
            if (snapshot.Level == PressureLevel.Normal)
            {
                return Task.FromResult(HealthCheckResult.Healthy($"Shadow mode: memory pressure {pressure}.", data));
            }

            var wouldShed = snapshot.WouldShedFraction > 0
                ? $"shed {MemoryContractsHealthData.Percent(Math.Min(1, snapshot.WouldShedFraction))} of non-core requests and "
                : string.Empty;
            return Task.FromResult(HealthCheckResult.Degraded(
                $"Shadow mode: memory pressure {pressure}; enforcing would {wouldShed}report {status}.", data: data));
        }

        var shedding = snapshot.ShedFraction > 0
            ? $"; shedding {MemoryContractsHealthData.Percent(Math.Min(1, snapshot.ShedFraction))} of non-core requests"
            : string.Empty;
        return Task.FromResult(new HealthCheckResult(status, $"Memory pressure {pressure}{shedding}.", data: data));
    }
}
