using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace MemoryContracts;

/// <summary>Registers the sampler, the monitor and the guard (called by <c>AddMemoryContracts</c>).</summary>
internal static class GuardServices
{
    public static void Add(IServiceCollection services)
    {
        services.TryAddSingleton<MemoryPressureMonitor>();
        services.TryAddSingleton<IMemoryPressure>(sp => sp.GetRequiredService<MemoryPressureMonitor>());
        services.TryAddSingleton<IMemorySampler, GcMemorySampler>();
        services.TryAddSingleton<MemoryGuard>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<MemoryGuard>());
    }
}
