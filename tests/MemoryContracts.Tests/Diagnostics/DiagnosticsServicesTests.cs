using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MemoryContracts.Tests.Diagnostics;

/// <summary>What <c>AddMemoryContracts</c> registers for DESIGN §12.</summary>
public sealed class DiagnosticsServicesTests
{
    [Fact]
    public void AddMemoryContracts_CalledTwice_OneDumpResponderAndOneOfEachHostedService()
    {
        using var services = new ServiceCollection()
            .AddLogging()
            .AddMemoryContracts(o => o.Contract = new MemoryContract { Modules = [new ModuleContract { Name = "a" }] })
            .AddMemoryContracts()
            .BuildServiceProvider();

        var dump = Assert.Single(services.GetServices<IMemoryPressureResponder>(), r => r.Name == "dump");
        Assert.IsType<DumpResponder>(dump);
        var hosted = services.GetServices<IHostedService>().ToList();
        Assert.Single(hosted.OfType<LeakWatch>());
        Assert.Single(hosted.OfType<AllocationProfileFollower>());
        Assert.IsType<RuntimeLeakSampler>(services.GetRequiredService<ILeakSampler>());
        Assert.IsType<DiagnosticsClientDumpWriter>(services.GetRequiredService<IDumpWriter>());
    }
}
