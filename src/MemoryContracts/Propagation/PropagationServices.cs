using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;

namespace MemoryContracts;

/// <summary>Registers the inbound hook, the outbound handler and downstream backoff (called by <c>AddMemoryContracts</c>).</summary>
internal static class PropagationServices
{
    public static void Add(IServiceCollection services)
    {
        services.TryAddSingleton<PropagationPolicyProvider>();
        services.TryAddSingleton<InboundPropagation>();
        services.TryAddSingleton<DownstreamBackoff>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHttpMessageHandlerBuilderFilter, MemoryContractHeadersHandlerFilter>());
    }
}
