using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Transforms.Builder;

namespace MemoryContracts;

/// <summary>Registers the memory-aware YARP policies on a reverse proxy.</summary>
public static class MemoryContractsReverseProxyBuilderExtensions
{
    /// <summary>
    /// Registers a load-balancing policy, a passive and an active health policy, all named
    /// <c>MemoryPressure</c> (<see cref="MemoryPressurePolicyNames.MemoryPressure"/>), and a transform on
    /// every route that learns each destination's usage from the <c>X-Memory-Usage</c> and ORCA
    /// <c>endpoint-load-metrics</c> headers of its responses, then strips <c>X-Memory-*</c> and
    /// <c>endpoint-load-metrics</c> from what the gateway relays to its clients. The load-balancing policy
    /// prefers the least pressured destination; the health policy makes a destination that answers
    /// 429/503 with <c>X-Memory-Usage</c> and <c>Retry-After</c> passively unhealthy for that
    /// <c>Retry-After</c> (clamped to 1 to 300 seconds). The active health policy judges probes as YARP's
    /// <c>ConsecutiveFailures</c> does and also learns each destination's usage from the probe answers:
    /// the gateway's own requests, answered with pressure headers even when the proxied traffic, relayed
    /// for public clients, is not. Select them per cluster with <c>LoadBalancingPolicy</c>,
    /// <c>HealthCheck.Passive.Policy</c> and <c>HealthCheck.Active.Policy</c>. Works whether or not the gateway
    /// calls <c>AddMemoryContracts</c>. Calling it again adds nothing (a later <paramref name="configure"/> still applies).
    /// </summary>
    /// <param name="builder">The reverse proxy builder returned by <c>AddReverseProxy()</c>.</param>
    /// <param name="configure">Adjusts the <see cref="MemoryPressureBalancingOptions"/>; optional.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static IReverseProxyBuilder AddMemoryContractsBalancing(
        this IReverseProxyBuilder builder,
        Action<MemoryPressureBalancingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<MemoryPressureBalancingOptions>().ValidateOnStart();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MemoryPressureBalancingOptions>, MemoryPressureBalancingOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DestinationUsageStore>();
        services.TryAddSingleton<DestinationReportLearner>();
        services.TryAddSingleton<MemoryHeadersResponseTransform>();
        services.TryAddSingleton<MemoryHeadersTrailersTransform>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITransformProvider, MemoryHeadersTransformProvider>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoadBalancingPolicy, MemoryPressureLoadBalancingPolicy>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPassiveHealthCheckPolicy, MemoryPressureHealthPolicy>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IActiveHealthCheckPolicy, MemoryPressureActiveHealthPolicy>());
        return builder;
    }
}
