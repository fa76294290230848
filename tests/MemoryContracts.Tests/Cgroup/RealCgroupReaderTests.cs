using System.Globalization;

namespace MemoryContracts.Tests.Cgroup;

/// <summary>
/// The reader against the real kernel: child processes this test starts run in cgroup v1 memory
/// cgroups it creates under <c>/sys/fs/cgroup/memory</c> (and removes), and the reader follows
/// <c>/proc/&lt;pid&gt;/cgroup</c>.
/// </summary>
public class RealCgroupReaderTests
{
    private const long MB = 1024 * 1024;

    [WritableMemoryCgroupFact]
    public void Read_ChildInLimitedCgroup_LimitIsWhatWasWrittenAndWorkingSetSane()
    {
        using var cgroup = new TestMemoryCgroup(48 * MB);
        var child = cgroup.StartInside(cgroup.Directory, "echo ready && read _");
        TestMemoryCgroup.WaitForLine(child, "ready");
        using var reader = ReaderFor(child.Id);

        var reading = reader.Read();

        Assert.Null(reader.Problem);
        Assert.Equal(CgroupVersion.V1, reader.Location!.Version);
        Assert.Equal(cgroup.Directory, reader.Location.Directory);
        Assert.Equal(48 * MB, reading.LimitBytes);
        Assert.InRange(reading.UsageBytes!.Value, 1, 48 * MB);
        Assert.InRange(reading.WorkingSetBytes!.Value, 1, reading.UsageBytes.Value);
        Assert.Equal(reading.UsageBytes - reading.InactiveFileBytes, reading.WorkingSetBytes);
    }

    [WritableMemoryCgroupFact]
    public void Read_LimitRewritten_NextReadSeesItAndTheTrackerReportsTheChange()
    {
        using var cgroup = new TestMemoryCgroup(48 * MB);
        var child = cgroup.StartInside(cgroup.Directory, "echo ready && read _");
        TestMemoryCgroup.WaitForLine(child, "ready");
        using var reader = ReaderFor(child.Id);
        var tracker = new ContainerLimitTracker();
        Assert.False(tracker.TryObserve(reader.Read(), out _));

        TestMemoryCgroup.SetLimit(cgroup.Directory, 96 * MB);

        Assert.True(tracker.TryObserve(reader.Read(), out var change));
        Assert.Equal(new ContainerLimitChange(48 * MB, 96 * MB), change);
    }

    [WritableMemoryCgroupFact]
    public void Read_NestedCgroupWithLooserLimit_LimitIsTheParents()
    {
        using var cgroup = new TestMemoryCgroup(40 * MB);
        var inner = cgroup.CreateChild("inner", 200 * MB);
        var child = cgroup.StartInside(inner, "echo ready && read _");
        TestMemoryCgroup.WaitForLine(child, "ready");
        using var reader = ReaderFor(child.Id);

        var reading = reader.Read();

        Assert.Equal(inner, reader.Location!.Directory);
        Assert.Equal(40 * MB, reading.LimitBytes);
    }

    [WritableMemoryCgroupFact]
    public void Read_PageCacheBeyondTheLimit_WorkingSetExcludesInactiveFile()
    {
        // Writes (direct, so nothing is cached by the write) and then reads a file three times the limit
        // inside the cgroup: the page cache fills the cgroup to its limit, and the kernel could drop it.
        var file = Path.Join(Path.GetTempPath(), $"mc-cgroup-cache-{Guid.NewGuid():N}.bin");
        try
        {
            using var cgroup = new TestMemoryCgroup(32 * MB);
            var child = cgroup.StartInside(
                cgroup.Directory,
                "dd if=/dev/zero of=\"$1\" bs=1M count=96 oflag=direct 2>/dev/null && cat \"$1\" > /dev/null && echo done && read _",
                file);
            TestMemoryCgroup.WaitForLine(child, "done");
            using var reader = ReaderFor(child.Id);

            var reading = reader.Read();

            Assert.Null(reader.Problem);
            Assert.InRange(reading.UsageBytes!.Value, 16 * MB, 32 * MB);
            Assert.True(reading.InactiveFileBytes > 8 * MB, $"inactive file {reading.InactiveFileBytes} bytes");
            Assert.True(reading.WorkingSetBytes < reading.UsageBytes / 2, $"working set {reading.WorkingSetBytes} of usage {reading.UsageBytes}");
            Assert.True(reading.WorkingSetBytes < 12 * MB, $"working set {reading.WorkingSetBytes} bytes");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [WritableMemoryCgroupFact]
    public void Read_CgroupRemovedWhileOpen_UnavailableAndNeverThrows()
    {
        using var cgroup = new TestMemoryCgroup(48 * MB);
        var child = cgroup.StartInside(cgroup.Directory, "echo ready && read _");
        TestMemoryCgroup.WaitForLine(child, "ready");
        using var reader = ReaderFor(child.Id);
        Assert.Equal(48 * MB, reader.Read().LimitBytes);

        cgroup.Remove();

        Assert.Equal(ContainerMemoryReading.Unavailable, reader.Read());
        Assert.StartsWith("reading ", reader.Problem, StringComparison.Ordinal);
        Assert.False(Directory.Exists(cgroup.Directory));
    }

    [Fact]
    public void Read_OwnCgroup_AllocatesNothingAtSteadyState()
    {
        using var reader = new CgroupMemoryReader(TimeProvider.System);
        var first = reader.Read();
        if (reader.IsUnavailable)
        {
            Assert.NotNull(reader.Problem);
            return;
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            reader.Read();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.NotNull(first.UsageBytes);
    }

    private static CgroupMemoryReader ReaderFor(int processId) =>
        new(TimeProvider.System, process: processId.ToString(CultureInfo.InvariantCulture));
}
