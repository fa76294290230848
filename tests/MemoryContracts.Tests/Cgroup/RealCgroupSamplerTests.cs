using System.Globalization;

namespace MemoryContracts.Tests.Cgroup;

/// <summary>The default sampler wired to a real memory cgroup this test creates, with a child inside.</summary>
public class RealCgroupSamplerTests
{
    private const long MB = 1024 * 1024;

    [WritableMemoryCgroupFact]
    public void Sample_ChildInLimitedCgroup_CarriesTheLimitAndRefreshesOnResize()
    {
        using var cgroup = new TestMemoryCgroup(48 * MB);
        var child = cgroup.StartInside(cgroup.Directory, "echo ready && read _");
        TestMemoryCgroup.WaitForLine(child, "ready");
        using var reader = new CgroupMemoryReader(TimeProvider.System, process: child.Id.ToString(CultureInfo.InvariantCulture));
        var refreshes = 0;
        var sampler = new GcMemorySampler(reader, new ContainerLimitRefresh(refreshGcLimit: () => refreshes++));

        var first = sampler.Sample();
        TestMemoryCgroup.SetLimit(cgroup.Directory, 96 * MB);
        var resized = sampler.Sample();

        Assert.Equal(48 * MB, first.ContainerLimitBytes);
        Assert.InRange(first.WorkingSetBytes!.Value, 1, 48 * MB);
        Assert.Equal(96 * MB, resized.ContainerLimitBytes);
        Assert.Equal(1, refreshes);
    }
}
