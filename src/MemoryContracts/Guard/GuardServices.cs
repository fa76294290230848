using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MemoryContracts;

/// <summary>Registers the sampler, the monitor and the guard (called by <c>AddMemoryContracts</c>).</summary>
internal static class GuardServices
{
    public static void Add(IServiceCollection services)
    {
        services.TryAddSingleton<MemoryPressureMonitor>();
        services.TryAddSingleton<IMemoryPressure>(sp => sp.GetRequiredService<MemoryPressureMonitor>());
        services.TryAddSingleton(sp => new CgroupMemoryReader(
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetService<ILogger<CgroupMemoryReader>>()));
        services.TryAddSingleton<IMemorySampler>(sp => new GcMemorySampler(
            sp.GetRequiredService<CgroupMemoryReader>(),
            new ContainerLimitRefresh(sp.GetService<ILogger<ContainerLimitRefresh>>())));
        services.TryAddSingleton<MemoryGuard>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<MemoryGuard>());
    }
}
