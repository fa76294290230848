using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MemoryContracts;

/// <summary>Registers the outbound handler and downstream backoff (called by <c>AddMemoryContracts</c>).</summary>
internal static class PropagationServices
{
    public static void Add(IServiceCollection services)
    {
        services.TryAddSingleton<InboundPropagation>();
    }
}
