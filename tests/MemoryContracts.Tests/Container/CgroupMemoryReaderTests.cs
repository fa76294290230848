using MemoryContracts.Tests.Infrastructure;
using static MemoryContracts.Tests.Container.CgroupFixtureTree;

namespace MemoryContracts.Tests.Container;

public class CgroupMemoryReaderTests
{
    private const string PodPath = "/kubepods.slice/kubepods-burstable.slice/pod1/ctr";

    [Fact]
    public void Read_V2Cgroup_WorkingSetIsCurrentMinusInactiveFile()
    {
        using var tree = new CgroupFixtureTree()
            .ProcSelf($"0::{PodPath}\n", OtherMounts + V2Mount)
            .V2Cgroup($"sys/fs/cgroup{PodPath}", current: 500 * MB, inactiveFile: 120 * MB, max: $"{1024 * MB}");
        using var reader = tree.Reader();

        var reading = reader.Read();

        Assert.Equal(new ContainerMemoryReading(380 * MB, 1024 * MB, 500 * MB, 120 * MB, IsLimitKnown: true), reading);
        Assert.Equal(CgroupVersion.V2, reader.Location!.Version);
        Assert.Equal(Path.Join(tree.Root, "sys/fs/cgroup" + PodPath), reader.Location.Directory);
        Assert.Null(reader.Problem);
    }

    [Fact]
    public void Read_NestedV2WithTighterParent_LimitIsTheParents()
    {
        using var tree = new CgroupFixtureTree()
            .ProcSelf($"0::{PodPath}\n", V2Mount)
            .V2Cgroup($"sys/fs/cgroup{PodPath}", current: 300 * MB, inactiveFile: 0, max: "max")
            .Write("sys/fs/cgroup/kubepods.slice/kubepods-burstable.slice/pod1/memory.max", $"{512 * MB}\n")
            .Write("sys/fs/cgroup/kubepods.slice/kubepods-burstable.slice/memory.max", $"{768 * MB}\n")
            .Write("sys/fs/cgroup/kubepods.slice/memory.max", "max\n");
        using var reader = tree.Reader();

        var reading = reader.Read();

        Assert.Equal(512 * MB, reading.LimitBytes);
        Assert.Equal(0.5859375, reading.WorkingSetRatio!.Value, 6);
        Assert.Equal(5, reader.Location!.LimitDirectories.Count);
    }

    [Fact]
    public void Read_V2NoLimitAnywhere_LimitIsNullButKnown()
    {
        using var tree = new CgroupFixtureTree()
            .ProcSelf("0::/app\n", V2Mount)
            .V2Cgroup("sys/fs/cgroup/app", current: 64 * MB, inactiveFile: 4 * MB, max: "max");
        using var reader = tree.Reader();

        var reading = reader.Read();

        Assert.Null(reading.LimitBytes);
        Assert.True(reading.IsLimitKnown);
        Assert.Equal(60 * MB, reading.WorkingSetBytes);
        Assert.Null(reading.WorkingSetRatio);
        Assert.Null(reader.Problem);
    }

    [Fact]
    public void Read_V2CgroupNamespaceRoot_ReadsTheMountPointItself()
    {
        // Inside a container with its own cgroup namespace: the path is "/" and the mount's root "/".
        using var tree = new CgroupFixtureTree()
            .ProcSelf("0::/\n", "1230 1200 0:26 / /sys/fs/cgroup ro,nosuid,nodev,noexec,relatime - cgroup2 cgroup rw\n")
            .V2Cgroup("sys/fs/cgroup", current: 200 * MB, inactiveFile: 50 * MB, max: $"{256 * MB}");
        using var reader = tree.Reader();

        var reading = reader.Read();

        Assert.Equal(150 * MB, reading.WorkingSetBytes);
        Assert.Equal(256 * MB, reading.LimitBytes);
        Assert.Equal(Path.Join(tree.Root, "sys/fs/cgroup"), reader.Location!.Directory);
    }

    [Fact]
    public void Read_V2RootCgroupWithoutMemoryCurrent_UnavailableWithReason()
    {
        using var tree = new CgroupFixtureTree()
            .ProcSelf("0::/\n", V2Mount)
            .Write("sys/fs/cgroup/memory.stat", V2Stat(1));
        using var reader = tree.Reader();

        var reading = reader.Read();

        Assert.Equal(ContainerMemoryReading.Unavailable, reading);
        Assert.True(reader.IsUnavailable);
        Assert.Contains("memory.current does not exist", reader.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_V1Cgroup_UsesTotalInactiveFileAndHierarchicalLimit()
    {
        using var tree = new CgroupFixtureTree()
            .ProcSelf("9:name=systemd:/docker/abc\n4:memory:/docker/abc\n1:cpu,cpuacct:/docker/abc\n", OtherMounts + V1MemoryMount)
            .V1Cgroup("sys/fs/cgroup/memory/docker/abc", usage: 700 * MB, totalInactiveFile: 200 * MB, hierarchicalLimit: 600 * MB, limitInBytes: 900 * MB);
        using var reader = tree.Reader();

        var reading = reader.Read();

        Assert.Equal(new ContainerMemoryReading(500 * MB, 600 * MB, 700 * MB, 200 * MB, IsLimitKnown: true), reading);
        Assert.Equal(CgroupVersion.V1, reader.Location!.Version);
    }

    [Fact]
    public void Read_V1UnsetLimit_NearLongMaxMeansNoLimit()
    {
        using var tree = new CgroupFixtureTree()
            .ProcSelf("4:memory:/app\n", V1MemoryMount)
            .V1Cgroup("sys/fs/cgroup/memory/app", usage: 10 * MB, totalInactiveFile: 1 * MB, hierarchicalLimit: 9223372036854771712, limitInBytes: 9223372036854771712);
        using var reader = tree.Reader();

        var reading = reader.Read();

        Assert.Null(reading.LimitBytes);
        Assert.True(reading.IsLimitKnown);
        Assert.Equal(9 * MB, reading.WorkingSetBytes);
    }

    [Fact]
    public void Read_V1WithoutHierarchicalLine_FallsBackToLimitInBytes()
    {
        using var tree = new CgroupFixtureTree()
            .ProcSelf("4:memory:/app\n", V1MemoryMount)
            .Write("sys/fs/cgroup/memory/app/memory.usage_in_bytes", $"{10 * MB}\n")
            .Write("sys/fs/cgroup/memory/app/memory.stat", $"cache 1\ntotal_inactive_file {2 * MB}\n")
            .Write("sys/fs/cgroup/memory/app/memory.limit_in_bytes", $"{128 * MB}\n");
        using var reader = tree.Reader();

        Assert.Equal(128 * MB, reader.Read().LimitBytes);
    }

    [Fact]
    public void Read_V1DockerMountRootIsTheCgroup_StripsTheCommonPrefix()
    {
        // Docker without a cgroup namespace: the container's own cgroup is bind-mounted at the mount point.
        using var tree = new CgroupFixtureTree()
            .ProcSelf("4:memory:/docker/87ee2de57e51\n", "50 40 0:31 /docker/87ee2de57e51 /sys/fs/cgroup/memory ro,nosuid - cgroup cgroup rw,memory\n")
            .V1Cgroup("sys/fs/cgroup/memory", usage: 90 * MB, totalInactiveFile: 30 * MB, hierarchicalLimit: 100 * MB, limitInBytes: 100 * MB);
        using var reader = tree.Reader();

        var reading = reader.Read();

        Assert.Equal(60 * MB, reading.WorkingSetBytes);
        Assert.Equal(Path.Join(tree.Root, "sys/fs/cgroup/memory"), reader.Location!.Directory);
    }

    [Fact]
    public void Read_HybridHost_ReadsTheV1MemoryController()
    {
        using var tree = new CgroupFixtureTree()
            .ProcSelf("4:memory:/svc\n1:cpu:/\n0::/svc\n", OtherMounts + V1MemoryMount + "40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n")
            .V1Cgroup("sys/fs/cgroup/memory/svc", usage: 50 * MB, totalInactiveFile: 10 * MB, hierarchicalLimit: 64 * MB, limitInBytes: 64 * MB)
            .Write("sys/fs/cgroup/unified/svc/cgroup.procs", "1\n");
        using var reader = tree.Reader();

        var reading = reader.Read();

        Assert.Equal(CgroupVersion.V1, reader.Location!.Version);
        Assert.Equal(40 * MB, reading.WorkingSetBytes);
        Assert.Equal(64 * MB, reading.LimitBytes);
    }

    [Fact]
    public void Read_V2HostWithNamedV1Hierarchy_ReadsV2()
    {
        using var tree = new CgroupFixtureTree()
            .ProcSelf("1:name=systemd:/user.slice\n0::/user.slice/app.service\n", V2Mount + "41 30 0:38 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,name=systemd\n")
            .V2Cgroup("sys/fs/cgroup/user.slice/app.service", current: 20 * MB, inactiveFile: 5 * MB, max: $"{32 * MB}");
        using var reader = tree.Reader();

        Assert.Equal(15 * MB, reader.Read().WorkingSetBytes);
        Assert.Equal(CgroupVersion.V2, reader.Location!.Version);
    }

    [Fact]
    public void Read_MountPointWithEscapedSpace_IsDecoded()
    {
        using var tree = new CgroupFixtureTree()
            .ProcSelf("0::/app\n", "40 30 0:37 / /sys/fs/my\\040cgroup rw - cgroup2 cgroup2 rw\n")
            .V2Cgroup("sys/fs/my cgroup/app", current: 20 * MB, inactiveFile: 5 * MB, max: $"{32 * MB}");
        using var reader = tree.Reader();

        Assert.Equal(32 * MB, reader.Read().LimitBytes);
    }

    [Fact]
    public void Read_UsageBelowInactiveFile_WorkingSetClampedAtZero()
    {
        using var tree = new CgroupFixtureTree()
            .ProcSelf("0::/app\n", V2Mount)
            .V2Cgroup("sys/fs/cgroup/app", current: 10 * MB, inactiveFile: 12 * MB, max: $"{32 * MB}");
        using var reader = tree.Reader();

        Assert.Equal(0, reader.Read().WorkingSetBytes);
    }

    [Fact]
    public void Read_NoProcCgroupFile_UnavailableAndLoggedOnce()
    {
        using var tree = new CgroupFixtureTree().Write("proc/self/mountinfo", V2Mount);
        var logs = new FakeLoggerProvider();
        using var reader = tree.Reader(logger: logs.CreateLogger("test"));

        var first = reader.Read();
        var second = reader.Read();

        Assert.Equal(ContainerMemoryReading.Unavailable, first);
        Assert.Equal(ContainerMemoryReading.Unavailable, second);
        Assert.Contains("proc/self/cgroup could not be read", reader.Problem, StringComparison.Ordinal);
        Assert.Single(logs.WithEvent(501));
    }

    [Fact]
    public void Read_NoMemoryMount_UnavailableWithReason()
    {
        using var tree = new CgroupFixtureTree().ProcSelf("4:memory:/app\n", OtherMounts);
        using var reader = tree.Reader();

        Assert.Equal(ContainerMemoryReading.Unavailable, reader.Read());
        Assert.Contains("no cgroup (v1) mount with the memory controller", reader.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CgroupOutsideTheMount_UnavailableWithReason()
    {
        using var tree = new CgroupFixtureTree().ProcSelf("0::/../other\n", V2Mount);
        using var reader = tree.Reader();

        Assert.Equal(ContainerMemoryReading.Unavailable, reader.Read());
        Assert.Contains("outside", reader.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingMemoryStat_Unavailable()
    {
        using var tree = new CgroupFixtureTree()
            .ProcSelf("0::/app\n", V2Mount)
            .Write("sys/fs/cgroup/app/memory.current", "100\n");
        using var reader = tree.Reader();

        Assert.Equal(ContainerMemoryReading.Unavailable, reader.Read());
        Assert.Contains("memory.stat does not exist", reader.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnreadableMemoryStat_UnavailableNotThrown()
    {
        // Tests run as root, so permissions stop nothing: a directory where the file should be cannot be opened.
        using var tree = new CgroupFixtureTree()
            .ProcSelf("0::/app\n", V2Mount)
            .Write("sys/fs/cgroup/app/memory.current", "100\n")
            .Write("sys/fs/cgroup/app/memory.stat/x", "not a file");
        using var reader = tree.Reader();

        Assert.Equal(ContainerMemoryReading.Unavailable, reader.Read());
        Assert.Contains("memory.stat", reader.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_GarbledUsage_UsageAndWorkingSetNullLimitStillReadAndLoggedOnce()
    {
        using var tree = new CgroupFixtureTree()
            .ProcSelf("0::/app\n", V2Mount)
            .V2Cgroup("sys/fs/cgroup/app", current: 0, inactiveFile: 5 * MB, max: $"{32 * MB}")
            .Write("sys/fs/cgroup/app/memory.current", "12ab\n");
        var logs = new FakeLoggerProvider();
        using var reader = tree.Reader(logger: logs.CreateLogger("test"));

        var reading = reader.Read();
        reader.Read();
        reader.Read();

        Assert.Null(reading.UsageBytes);
        Assert.Null(reading.WorkingSetBytes);
        Assert.Equal(5 * MB, reading.InactiveFileBytes);
        Assert.Equal(32 * MB, reading.LimitBytes);
        Assert.EndsWith("memory.current does not hold a byte count", reader.Problem, StringComparison.Ordinal);
        Assert.Single(logs.WithEvent(503));
    }

    [Fact]
    public void Read_GarbledThenFixed_ProblemClears()
    {
        using var tree = new CgroupFixtureTree()
            .ProcSelf("0::/app\n", V2Mount)
            .V2Cgroup("sys/fs/cgroup/app", current: 0, inactiveFile: 5 * MB, max: "max")
            .Write("sys/fs/cgroup/app/memory.current", "\n");
        using var reader = tree.Reader();
        Assert.Null(reader.Read().UsageBytes);
        Assert.NotNull(reader.Problem);

        // Rewritten in place (same inode), as the kernel regenerates the content of the open file.
        using (var stream = new FileStream(Path.Join(tree.Root, "sys/fs/cgroup/app/memory.current"), FileMode.Open, FileAccess.Write))
        {
            stream.Write("8388608\n"u8);
        }

        Assert.Equal(3 * MB, reader.Read().WorkingSetBytes);
        Assert.Null(reader.Problem);
    }

    [Fact]
    public void Read_MissingInactiveFileKey_WorkingSetNullUsageKept()
    {
        using var tree = new CgroupFixtureTree()
            .ProcSelf("0::/app\n", V2Mount)
            .V2Cgroup("sys/fs/cgroup/app", current: 40 * MB, inactiveFile: 0, max: $"{64 * MB}")
            .Write("sys/fs/cgroup/app/memory.stat", "anon 1\nactive_file 2\n");
        using var reader = tree.Reader();

        var reading = reader.Read();

        Assert.Null(reading.WorkingSetBytes);
        Assert.Equal(40 * MB, reading.UsageBytes);
        Assert.EndsWith("memory.stat has no inactive_file line", reader.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_GarbledInactiveFileValue_WorkingSetNull()
    {
        using var tree = new CgroupFixtureTree()
            .ProcSelf("4:memory:/app\n", V1MemoryMount)
            .V1Cgroup("sys/fs/cgroup/memory/app", usage: 10 * MB, totalInactiveFile: 0, hierarchicalLimit: 64 * MB, limitInBytes: 64 * MB)
            .Write("sys/fs/cgroup/memory/app/memory.stat", $"inactive_file 5\ntotal_inactive_file -3\nhierarchical_memory_limit {64 * MB}\n");
        using var reader = tree.Reader();

        var reading = reader.Read();

        Assert.Null(reading.WorkingSetBytes);
        Assert.Equal(64 * MB, reading.LimitBytes);
        Assert.Contains("total_inactive_file value", reader.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_GarbledParentLimit_LimitNotKnown()
    {
        using var tree = new CgroupFixtureTree()
            .ProcSelf("0::/a/b\n", V2Mount)
            .V2Cgroup("sys/fs/cgroup/a/b", current: 10 * MB, inactiveFile: 0, max: $"{64 * MB}")
            .Write("sys/fs/cgroup/a/memory.max", "unlimited\n");
        using var reader = tree.Reader();

        var reading = reader.Read();

        Assert.False(reading.IsLimitKnown);
        Assert.Null(reading.LimitBytes);
        Assert.Equal(10 * MB, reading.WorkingSetBytes);
        Assert.EndsWith("a/memory.max does not hold a byte count", reader.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ReadFails_ReResolvedOnlyAfterTheRetryInterval()
    {
        // /proc/self/mem cannot be read at offset 0 (EIO): a stand-in for a removed cgroup's ENODEV.
        using var tree = new CgroupFixtureTree()
            .ProcSelf("0::/app\n", V2Mount)
            .V2Cgroup("sys/fs/cgroup/app", current: 0, inactiveFile: 5 * MB, max: $"{64 * MB}");
        var current = Path.Join(tree.Root, "sys/fs/cgroup/app/memory.current");
        File.Delete(current);
        File.CreateSymbolicLink(current, "/proc/self/mem");
        var time = new FakeTimeProvider();
        var logs = new FakeLoggerProvider();
        using var reader = tree.Reader(time, logs.CreateLogger("test"), TimeSpan.FromSeconds(30));

        Assert.Equal(ContainerMemoryReading.Unavailable, reader.Read());
        Assert.StartsWith("reading ", reader.Problem, StringComparison.Ordinal);
        File.Delete(current);
        File.WriteAllText(current, $"{20 * MB}\n");

        time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(ContainerMemoryReading.Unavailable, reader.Read());

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(15 * MB, reader.Read().WorkingSetBytes);
        Assert.Null(reader.Problem);
        Assert.Single(logs.WithEvent(502));
        Assert.Equal(2, logs.WithEvent(500).Count);
    }

    [Fact]
    public void Read_SteadyState_AllocatesNothing()
    {
        using var tree = new CgroupFixtureTree()
            .ProcSelf("0::/a/b/c\n", V2Mount)
            .V2Cgroup("sys/fs/cgroup/a/b/c", current: 40 * MB, inactiveFile: 4 * MB, max: $"{64 * MB}")
            .Write("sys/fs/cgroup/a/memory.max", $"{60 * MB}\n");
        using var reader = tree.Reader();
        reader.Read();

        var before = GC.GetAllocatedBytesForCurrentThread();
        long sum = 0;
        for (var i = 0; i < 100; i++)
        {
            sum += reader.Read().WorkingSetBytes ?? 0;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(100 * 36 * MB, sum);
    }

    [Fact]
    public void Read_LargeMemoryStat_GrowsTheBufferAndFindsTheKey()
    {
        var padding = string.Concat(Enumerable.Range(0, 400).Select(i => $"padding_key_{i} {i}\n"));
        using var tree = new CgroupFixtureTree()
            .ProcSelf("0::/app\n", V2Mount)
            .V2Cgroup("sys/fs/cgroup/app", current: 40 * MB, inactiveFile: 0, max: "max")
            .Write("sys/fs/cgroup/app/memory.stat", padding + $"inactive_file {8 * MB}\n");
        using var reader = tree.Reader();

        Assert.Equal(32 * MB, reader.Read().WorkingSetBytes);
    }
}
