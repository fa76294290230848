namespace MemoryContracts.Tests.Container;

public class CgroupLocatorTests
{
    [Fact]
    public void ParseProcCgroup_HybridFile_GivesMemoryAndUnifiedPaths()
    {
        var (v1, v2) = CgroupLocator.ParseProcCgroup("12:pids:/a\n4:cpuset,memory:/docker/x\n1:name=systemd:/b\n0::/docker/x\n");

        Assert.Equal("/docker/x", v1);
        Assert.Equal("/docker/x", v2);
    }

    [Fact]
    public void ParseProcCgroup_GarbageLines_Skipped()
    {
        var (v1, v2) = CgroupLocator.ParseProcCgroup("nonsense\n4:memory\n3:memory:relative\n\n");

        Assert.Null(v1);
        Assert.Null(v2);
    }

    [Theory]
    [InlineData("/", "/", "")]
    [InlineData("/", "/a/b/", "/a/b")]
    [InlineData("/docker/abc", "/docker/abc", "")]
    [InlineData("/docker/abc", "/docker/abc/inner", "/inner")]
    [InlineData("/docker/abc", "/docker/abcdef", "/docker/abcdef")]
    [InlineData("/docker/abc", "/", "")]
    public void RelativeToMount_RootAndPath_RemovesTheRootOnlyAtABoundary(string root, string path, string expected)
    {
        Assert.Equal(expected, CgroupLocator.RelativeToMount(root, path));
    }

    [Fact]
    public void FindMount_SeveralMounts_PrefersTheLongestRootPrefix()
    {
        CgroupMount[] mounts =
        [
            new(CgroupVersion.V1, "/other", "/mnt/other"),
            new(CgroupVersion.V2, "/docker/abc", "/mnt/v2"),
            new(CgroupVersion.V1, "/", "/sys/fs/cgroup/memory"),
            new(CgroupVersion.V1, "/docker/abc", "/mnt/abc"),
        ];

        Assert.Equal("/mnt/abc", CgroupLocator.FindMount(mounts, CgroupVersion.V1, "/docker/abc/x")!.MountPoint);
        Assert.Equal("/sys/fs/cgroup/memory", CgroupLocator.FindMount(mounts, CgroupVersion.V1, "/elsewhere")!.MountPoint);
        Assert.Null(CgroupLocator.FindMount([mounts[0]], CgroupVersion.V2, "/"));
    }

    [Fact]
    public void Parse_MountInfo_KeepsOnlyMemoryV1AndCgroup2Mounts()
    {
        var mounts = MountInfoParser.Parse(
            "22 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n" +
            "31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime shared:10 - cgroup cgroup rw,cpu\n" +
            "34 30 0:31 / /sys/fs/cgroup/memory rw,relatime shared:14 master:2 - cgroup cgroup rw,memory\n" +
            "40 30 0:37 /sub /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n" +
            "broken line without separator\n");

        Assert.Equal(
            [new CgroupMount(CgroupVersion.V1, "/", "/sys/fs/cgroup/memory"), new CgroupMount(CgroupVersion.V2, "/sub", "/sys/fs/cgroup/unified")],
            mounts);
    }

    [Theory]
    [InlineData("/plain", "/plain")]
    [InlineData("/a\\040b", "/a b")]
    [InlineData("/a\\134b\\011c", "/a\\b\tc")]
    [InlineData("/a\\04", "/a\\04")]
    public void Unescape_OctalEscapes_Decoded(string field, string expected)
    {
        Assert.Equal(expected, MountInfoParser.Unescape(field));
    }
}
