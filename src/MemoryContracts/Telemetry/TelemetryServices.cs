using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MemoryContracts;

/// <summary>Registers the meter (called by <c>AddMemoryContracts</c>).</summary>
internal static class TelemetryServices
{
    public static void Add(IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<MemoryContractsMetrics>();
    }
}
