using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts;

/// <summary>Registers the built-in responders (called by <c>AddMemoryContracts</c>).</summary>
internal static class ResponseServices
{
    public static void Add(IServiceCollection services)
    {
        _ = services;
    }
}
