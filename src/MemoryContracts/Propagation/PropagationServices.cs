using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;

namespace MemoryContracts;

/// <summary>Registers the inbound hook, the outbound handler and downstream throttling (called by <c>AddMemoryContracts</c>).</summary>
internal static class PropagationServices
{
    public static void Add(IServiceCollection services)
    {
        services.TryAddSingleton<PropagationPolicyProvider>();
        services.TryAddSingleton<InboundPropagation>();
        services.TryAddSingleton(ThrottleRandom.Shared);
        services.TryAddSingleton<DownstreamThrottle>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHttpMessageHandlerBuilderFilter, MemoryContractHeadersHandlerFilter>());
    }
}
