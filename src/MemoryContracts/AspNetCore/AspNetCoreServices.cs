using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts;

/// <summary>Registers the middleware's services (called by <c>AddMemoryContracts</c>).</summary>
internal static class AspNetCoreServices
{
    public static void Add(IServiceCollection services)
    {
        _ = services;
    }
}
