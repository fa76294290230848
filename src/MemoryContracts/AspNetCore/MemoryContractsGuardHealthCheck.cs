using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace MemoryContracts;

/// <summary>
/// The liveness check <c>memory_contracts_guard</c>: Unhealthy only when the guard has not sampled for
/// <see cref="StalledAfterIntervals"/> sampling intervals (counted from host start before the first
/// sample). A singleton, and a hosted service only so that it is created, and its clock started, with the host.
/// </summary>
internal sealed class MemoryContractsGuardHealthCheck : IHealthCheck, IHostedService
{
    public const string Name = "memory_contracts_guard";

    /// <summary>How many sampling intervals without a sample mean the guard has stalled.</summary>
    public const int StalledAfterIntervals = 10;

    private readonly MemoryPressureMonitor _monitor;
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _createdAt;
    private readonly DiagnosticsState _diagnostics;

    public MemoryContractsGuardHealthCheck(MemoryPressureMonitor monitor, TimeProvider time, DiagnosticsState diagnostics)
    {
        _monitor = monitor;
        _diagnostics = diagnostics;
        _time = time;
        _createdAt = time.GetUtcNow();
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var snapshot = _monitor.Current;
        var interval = snapshot.Plan.Contract.SamplingInterval;
        var limit = interval * StalledAfterIntervals;
        var now = _time.GetUtcNow();
        var last = _monitor.LastSampledAt;
        var since = now - (last ?? _createdAt);
        var data = MemoryContractsHealthData.Create(snapshot, _diagnostics);
        data["samples"] = _monitor.SampleCount;
        data["last_sampled_at"] = last?.ToString("O", System.Globalization.CultureInfo.InvariantCulture) ?? "never";
        data["seconds_since_sample"] = Math.Round(since.TotalSeconds, 3);
        data["stalled_after_seconds"] = limit.TotalSeconds;

        var result = since >= limit
            ? new HealthCheckResult(context.Registration.FailureStatus,
                last is null
                    ? $"The memory guard has not sampled since start ({since.TotalSeconds:0.#} s; limit {StalledAfterIntervals} intervals of {interval.TotalMilliseconds:0} ms)."
                    : $"The memory guard has not sampled for {since.TotalSeconds:0.#} s (limit {StalledAfterIntervals} intervals of {interval.TotalMilliseconds:0} ms).",
                data: data)
            : HealthCheckResult.Healthy($"The memory guard sampled {since.TotalSeconds:0.#} s ago.", data);
        return Task.FromResult(result);
    }

    Task IHostedService.StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    Task IHostedService.StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
