using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MemoryContracts;

/// <summary>
/// Registers MemoryContracts in an <see cref="IServiceCollection"/>.
/// </summary>
public static class MemoryContractsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the contract (from <c>memory_contract.yaml</c> in the content root unless configured
    /// otherwise), the guard, its responders, the middleware's services, the outbound headers and the
    /// meter. Binds the <c>MemoryContracts</c> configuration section. Idempotent: a second call only
    /// adds <paramref name="configure"/>; services you registered first (an <see cref="IMemorySampler"/>,
    /// a <see cref="TimeProvider"/>) win.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the options in code, after configuration binding.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddMemoryContracts(this IServiceCollection services, Action<MemoryContractsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (configure is not null)
        {
            services.Configure(configure);
        }

        if (services.Any(d => d.ServiceType == typeof(MemoryContractsMarker)))
        {
            return services;
        }

        services.AddSingleton<MemoryContractsMarker>();
        services.TryAddSingleton(TimeProvider.System);
        ContractServices.Add(services);
        TelemetryServices.Add(services);
        GuardServices.Add(services);
        ResponseServices.Add(services);
        AspNetCoreServices.Add(services);
        PropagationServices.Add(services);
        return services;
    }
}
