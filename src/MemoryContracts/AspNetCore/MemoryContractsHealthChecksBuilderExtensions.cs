using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace MemoryContracts;

/// <summary>
/// Adds MemoryContracts' readiness and liveness checks to ASP.NET Core health checks.
/// </summary>
public static class MemoryContractsHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds <c>memory_contracts</c> (tag <c>ready</c>: Healthy at Normal, Degraded at Elevated or High
    /// (also while scaled shedding runs at High), Unhealthy at Critical; the contract's
    /// <c>health.unready_at</c> moves that to High or to never; in shadow mode never Unhealthy) and <c>memory_contracts_guard</c> (tag
    /// <c>live</c>: Unhealthy only when the guard has not sampled for 10 sampling intervals). Both
    /// carry the process's and each module's level and ratios in their data. Calls
    /// <c>AddMemoryContracts()</c> if it was not called. Idempotent.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHealthChecksBuilder AddMemoryContracts(this IHealthChecksBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (services.Any(d => d.ServiceType == typeof(MemoryContractsGuardHealthCheck)))
        {
            return builder;
        }

        services.AddMemoryContracts();
        services.TryAddSingleton<MemoryContractsHealthCheck>();
        services.TryAddSingleton<MemoryContractsGuardHealthCheck>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<MemoryContractsGuardHealthCheck>());

        builder.AddCheck<MemoryContractsHealthCheck>(MemoryContractsHealthCheck.Name, failureStatus: HealthStatus.Unhealthy, tags: ["ready"]);
        builder.AddCheck<MemoryContractsGuardHealthCheck>(MemoryContractsGuardHealthCheck.Name, failureStatus: HealthStatus.Unhealthy, tags: ["live"]);
        return builder;
    }
}
