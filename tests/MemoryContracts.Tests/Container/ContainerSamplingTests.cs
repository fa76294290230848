using MemoryContracts.Tests.AspNetCore;
using MemoryContracts.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static MemoryContracts.Tests.Container.CgroupFixtureTree;

namespace MemoryContracts.Tests.Container;

/// <summary>The default sampler's container figures, from a fixture cgroup tree; the DI wiring of DESIGN §9.</summary>
public class ContainerSamplingTests
{
    private const string PodPath = "/kubepods.slice/pod1/ctr";

    [Fact]
    public void Sample_InMemoryCgroup_CarriesWorkingSetAndLimit()
    {
        using var tree = new CgroupFixtureTree()
            .ProcSelf($"0::{PodPath}\n", OtherMounts + V2Mount)
            .V2Cgroup($"sys/fs/cgroup{PodPath}", current: 500 * MB, inactiveFile: 120 * MB, max: $"{1024 * MB}");
        using var reader = tree.Reader();
        var sampler = new GcMemorySampler(reader, new ContainerLimitRefresh());

        var sample = sampler.Sample();

        Assert.Equal(380 * MB, sample.WorkingSetBytes);
        Assert.Equal(1024 * MB, sample.ContainerLimitBytes);
        Assert.True(sample.HeapBytes > 0);
    }

    [Fact]
    public void Sample_NoCgroup_ContainerFiguresNull()
    {
        using var tree = new CgroupFixtureTree().ProcSelf("", OtherMounts);
        using var reader = tree.Reader();

        var sample = new GcMemorySampler(reader, limitRefresh: null).Sample();

        Assert.Null(sample.WorkingSetBytes);
        Assert.Null(sample.ContainerLimitBytes);
        Assert.True(sample.CapacityBytes > 0);
    }

    [Fact]
    public void Sample_LimitResized_RefreshesTheRuntimeOnce()
    {
        var directory = $"sys/fs/cgroup{PodPath}";
        using var tree = new CgroupFixtureTree()
            .ProcSelf($"0::{PodPath}\n", OtherMounts + V2Mount)
            .V2Cgroup(directory, current: 500 * MB, inactiveFile: 120 * MB, max: $"{1024 * MB}");
        using var reader = tree.Reader();
        var refreshes = 0;
        var sampler = new GcMemorySampler(reader, new ContainerLimitRefresh(refreshGcLimit: () => refreshes++));
        sampler.Sample();

        tree.Write($"{directory}/memory.max", $"{2048 * MB}\n");
        var resized = sampler.Sample();
        sampler.Sample();

        Assert.Equal(2048 * MB, resized.ContainerLimitBytes);
        Assert.Equal(1, refreshes);
    }

    [Fact]
    public void Sample_SteadyState_AllocatesNothing()
    {
        using var tree = new CgroupFixtureTree()
            .ProcSelf($"0::{PodPath}\n", OtherMounts + V2Mount)
            .V2Cgroup($"sys/fs/cgroup{PodPath}", current: 500 * MB, inactiveFile: 120 * MB, max: $"{1024 * MB}");
        using var reader = tree.Reader();
        var sampler = new GcMemorySampler(reader, new ContainerLimitRefresh());
        sampler.Sample();
        sampler.Sample();

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            sampler.Sample();
        }

        // Between collections nothing is allocated; allow for a collection happening meanwhile (its GC info read allocates).
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 4096, "the sampler allocated at steady state");
    }

    [Fact]
    public void AddMemoryContracts_Defaults_RegistersCgroupSamplerAndTrimNative()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMetrics();
        services.AddMemoryContracts(o => o.Contract = TestContracts.SingleModule());
        using var provider = services.BuildServiceProvider();

        Assert.IsType<GcMemorySampler>(provider.GetRequiredService<IMemorySampler>());
        Assert.NotNull(provider.GetRequiredService<CgroupMemoryReader>());
        Assert.Contains(provider.GetServices<IMemoryPressureResponder>(), r => r.Name == "trim_native");
        Assert.Contains("trim_native", BuiltInResponders.All);
    }
}
