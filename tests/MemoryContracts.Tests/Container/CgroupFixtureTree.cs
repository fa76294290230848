namespace MemoryContracts.Tests.Container;

/// <summary>
/// A temporary directory laid out like <c>/</c>: <c>proc/self/cgroup</c>, <c>proc/self/mountinfo</c>
/// and the cgroup files under <c>sys/fs/cgroup</c>, for pointing a <see cref="CgroupMemoryReader"/> at.
/// </summary>
internal sealed class CgroupFixtureTree : IDisposable
{
    public const long MB = 1024 * 1024;

    public const string V2Mount = "40 30 0:37 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n";

    public const string V1MemoryMount = "34 30 0:31 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:14 - cgroup cgroup rw,memory\n";

    public const string OtherMounts =
        "22 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n" +
        "30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n" +
        "31 30 0:28 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:10 - cgroup cgroup rw,cpu,cpuacct\n";

    public CgroupFixtureTree() => Root = Directory.CreateTempSubdirectory("mc-cgroup-fixture-").FullName;

    public string Root { get; }

    public static string V2Stat(long inactiveFile, long activeFile = 10 * MB) =>
        $"anon 104857600\nfile 209715200\nkernel 4194304\nactive_anon 0\ninactive_anon 104857600\nactive_file {activeFile}\ninactive_file {inactiveFile}\nunevictable 0\npgfault 123\n";

    public static string V1Stat(long totalInactiveFile, long hierarchicalLimit, long inactiveFile = 1) =>
        $"cache 1748992\nrss 1728512\ninactive_file {inactiveFile}\nactive_file 892928\nhierarchical_memory_limit {hierarchicalLimit}\nhierarchical_memsw_limit 9223372036854771712\ntotal_cache 1748992\ntotal_inactive_file {totalInactiveFile}\ntotal_active_file 892928\n";

    public CgroupFixtureTree Write(string path, string content)
    {
        var full = Path.Join(Root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return this;
    }

    public CgroupFixtureTree ProcSelf(string cgroup, string mountInfo) =>
        Write("proc/self/cgroup", cgroup).Write("proc/self/mountinfo", mountInfo);

    /// <summary>A v2 cgroup with memory.current, memory.stat and memory.max.</summary>
    public CgroupFixtureTree V2Cgroup(string directory, long current, long inactiveFile, string max) =>
        Write($"{directory}/memory.current", $"{current}\n").Write($"{directory}/memory.stat", V2Stat(inactiveFile)).Write($"{directory}/memory.max", $"{max}\n");

    /// <summary>A v1 cgroup with memory.usage_in_bytes, memory.stat and memory.limit_in_bytes.</summary>
    public CgroupFixtureTree V1Cgroup(string directory, long usage, long totalInactiveFile, long hierarchicalLimit, long limitInBytes) =>
        Write($"{directory}/memory.usage_in_bytes", $"{usage}\n")
            .Write($"{directory}/memory.stat", V1Stat(totalInactiveFile, hierarchicalLimit))
            .Write($"{directory}/memory.limit_in_bytes", $"{limitInBytes}\n");

    public CgroupMemoryReader Reader(TimeProvider? time = null, Microsoft.Extensions.Logging.ILogger? logger = null, TimeSpan? retryInterval = null) =>
        new(time ?? TimeProvider.System, logger, Root, "self", retryInterval);

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
