using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MemoryContracts.Tests.Infrastructure;

/// <summary>
/// Puts a host's memory pressure under the test's hand: a <see cref="FakeTimeProvider"/> (the guard
/// never ticks unless the test advances it) and a <see cref="ScriptedSampler"/>, replacing whatever was
/// registered. <see cref="Publish"/> sets the published snapshot directly, for tests of the
/// middleware, health checks and headers that do not need the guard's grading.
/// </summary>
public static class ManualPressure
{
    public static IServiceCollection AddManualPressure(this IServiceCollection services, FakeTimeProvider? time = null, ScriptedSampler? sampler = null)
    {
        services.RemoveAll<TimeProvider>();
        services.AddSingleton<TimeProvider>(time ?? new FakeTimeProvider());
        services.RemoveAll<IMemorySampler>();
        services.AddSingleton<IMemorySampler>(sampler ?? new ScriptedSampler());
        return services;
    }

    /// <summary>
    /// Publishes a snapshot with the given overall level and numbers. <paramref name="wouldShedFraction"/>
    /// is what the contract warrants whatever the mode (the guard's shadow snapshots carry it with a
    /// shed fraction of 0); it defaults to <paramref name="shedFraction"/>.
    /// </summary>
    public static MemoryPressureSnapshot Publish(
        this IServiceProvider services,
        PressureLevel level,
        int usagePercent = 50,
        double shedFraction = 0,
        long capacityBytes = 2048L * 1024 * 1024,
        string contractVersion = "v1.2",
        double? wouldShedFraction = null,
        params ModulePressure[] modules)
    {
        var snapshot = new MemoryPressureSnapshot(level, usagePercent, capacityBytes, DateTimeOffset.UtcNow, modules)
        {
            ProcessLevel = level,
            HeapBytes = capacityBytes / 100 * usagePercent,
            HeapRatio = usagePercent / 100.0,
            ShedFraction = shedFraction,
            WouldShedFraction = wouldShedFraction ?? shedFraction,
            Plan = PlanWithVersion(services.GetRequiredService<MemoryPressureMonitor>().Current.Plan, contractVersion),
        };
        services.GetRequiredService<MemoryPressureMonitor>().Publish(snapshot);
        return snapshot;
    }

    /// <summary>The current plan, or one of the same contract with another version (a new plan, as a reload brings).</summary>
    private static ContractPlan PlanWithVersion(ContractPlan plan, string version)
    {
        return plan.Contract.Version == version ? plan : new ContractPlan(plan.Contract.With(version: version));
    }
}
