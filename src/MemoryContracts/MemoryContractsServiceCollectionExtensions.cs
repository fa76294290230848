using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

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
        DiagnosticsServices.Add(services);
        AspNetCoreServices.Add(services);
        PropagationServices.Add(services);
        LoadReportingServices.Add(services);
        return services;
    }

    /// <summary>
    /// Registers a keyed <see cref="IMemoryCache"/> (key = <paramref name="module"/>) owned by a module of
    /// the contract: its estimated size counts as the module's heap, the guard trims it under pressure,
    /// and it refuses writes (reads still work; <c>GetOrCreate</c> still returns the value) while the
    /// process or the module is at High or above, or the calling service reports more than
    /// <c>bypass_cache_writes_above_percent</c>. Resolve it with <c>[FromKeyedServices("module")]</c>.
    /// Entry sizes are read as bytes; an entry without <c>Size</c> is estimated.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="module">The module's name, as in the contract.</param>
    /// <param name="configure">Configures the underlying <see cref="MemoryCacheOptions"/>.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddMemoryContractCache(this IServiceCollection services, string module, Action<MemoryCacheOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(module);
        services.AddMemoryContracts();
        var optionsName = ModuleCacheOptionsName.For(module);
        var options = services.AddOptions<MemoryCacheOptions>(optionsName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddKeyedSingleton<IMemoryCache>(module, (sp, _) => new ModuleMemoryCache(
            module,
            new MemoryCache(sp.GetRequiredService<IOptionsMonitor<MemoryCacheOptions>>().Get(optionsName), sp.GetService<ILoggerFactory>() ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance),
            sp.GetRequiredService<MemoryPressureMonitor>(),
            sp.GetRequiredService<MemoryContractsMetrics>()));

        services.AddSingleton(new ModuleTrimmableRegistration(module, "cache:" + module, sp =>
            sp.GetRequiredKeyedService<IMemoryCache>(module) as IMemoryTrimmable
            ?? throw new InvalidOperationException($"The IMemoryCache registered with key '{module}' is not the module cache of AddMemoryContractCache(\"{module}\"). Remove the other keyed registration.")));
        return services;
    }

    /// <summary>
    /// Registers a cache, pool or other <see cref="IMemoryTrimmable"/> owned by a module: its
    /// <see cref="IMemoryTrimmable.EstimatedBytes"/> count as the module's heap and the
    /// <c>trim_caches</c> response trims it. Registering the same instance twice adds it once.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="module">The module's name, as in the contract.</param>
    /// <param name="trimmable">The trimmable.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddMemoryTrimmable(this IServiceCollection services, string module, IMemoryTrimmable trimmable)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(module);
        ArgumentNullException.ThrowIfNull(trimmable);
        services.AddMemoryContracts();
        services.AddSingleton(new ModuleTrimmableRegistration(module, trimmable, _ => trimmable));
        return services;
    }
}
