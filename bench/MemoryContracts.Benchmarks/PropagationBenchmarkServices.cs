using MemoryContracts;
using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts.Benchmarks;

/// <summary>MemoryContracts services with a contract in code and a published snapshot, for the propagation benchmarks.</summary>
internal static class PropagationBenchmarkServices
{
    public static ServiceProvider Build()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMemoryContracts(o => o.Contract = new MemoryContract { Version = "v1.2", Modules = [new ModuleContract { Name = "catalog" }] });
        var provider = services.BuildServiceProvider();
        var snapshot = new MemoryPressureSnapshot(PressureLevel.Normal, 68, 2048L * 1024 * 1024, DateTimeOffset.UtcNow, []);
        provider.GetRequiredService<MemoryPressureMonitor>().Publish(snapshot);
        return provider;
    }
}
