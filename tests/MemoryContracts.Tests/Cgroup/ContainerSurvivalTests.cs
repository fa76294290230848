using MemoryContracts.Tests.Examples;

namespace MemoryContracts.Tests.Cgroup;

/// <summary>
/// bench/container-survival.sh as tests: bench/LeakyService alone in a 400 MB cgroup v1 memory cgroup
/// this test creates (and removes), its survival driver outside it sending core requests and non-core
/// requests that leak native memory (or scan files through the page cache). They run alone, after
/// the parallel tests: the guard's timing must not depend on what else is running.
/// </summary>
[Collection(RunsAlone.Name)]
public sealed class ContainerSurvivalTests : IDisposable
{
    private const long MB = 1024 * 1024;
    private const long LimitBytes = 400 * MB;
    private const int GrowthMbPerSecond = 60;
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(30);

    private readonly string _temporaryDirectory = ScratchDirectory();

    [WritableMemoryCgroupFact]
    public async Task NativeLeak_NoContracts_KernelOomKillsTheService()
    {
        using var cgroup = Limited();
        using var service = await LeakyServiceProcess.StartAsync(cgroup, _temporaryDirectory, StartBound, "--no-contracts");

        var result = await service.DriveAsync("native", seconds: 20, GrowthMbPerSecond, scanMb: 0, cgroup.Directory);

        Assert.True(service.WaitForExit(TimeSpan.FromSeconds(10)), $"still alive after the driver: {result.Line}");
        Assert.Equal(137, service.ExitCode);
        Assert.True(TestMemoryCgroup.OomKills(cgroup.Directory) > 0, "memory.oom_control counted no OOM kill");
        Assert.Equal("yes", result["service_unreachable"]);
        Assert.True(result.Number("noncore_served") > 200, result.Line);
    }

    [WritableMemoryCgroupFact]
    public async Task NativeLeak_Guarded_AliveEveryCoreRequestServedNoOomKill()
    {
        using var cgroup = Limited();
        using var service = await LeakyServiceProcess.StartAsync(cgroup, _temporaryDirectory, StartBound, "--contract", "container_contract.yaml");

        var result = await service.DriveAsync("native", seconds: 15, GrowthMbPerSecond, scanMb: 0, cgroup.Directory);

        Assert.False(service.HasExited, $"the service {service.State}: {result.Line}\n{service.Output}");
        Assert.Equal(0, TestMemoryCgroup.OomKills(cgroup.Directory));
        Assert.True(result.Number("core_sent") > 500, result.Line);
        Assert.Equal(result.Number("core_sent"), result.Number("core_served"));
        Assert.True(result.Number("noncore_shed") > 0, $"the guard shed nothing: {result.Line}");
        Assert.InRange(result.Number("native_mb"), 200, 399);
        Assert.NotEqual("Normal", result["highest_level"]);
    }

    [WritableMemoryCgroupFact]
    public async Task PageCacheTwiceTheLimit_Guarded_LevelNormalAndNothingShed()
    {
        using var cgroup = Limited();
        using var service = await LeakyServiceProcess.StartAsync(cgroup, _temporaryDirectory, StartBound, "--contract", "container_contract.yaml");

        var result = await service.DriveAsync("files", seconds: 16, GrowthMbPerSecond, scanMb: (int)(2 * LimitBytes / MB), cgroup.Directory);

        Assert.False(service.HasExited, $"the service {service.State}: {result.Line}\n{service.Output}");
        Assert.True(result.Number("noncore_served") >= 1, $"no 800 MB scan finished: {result.Line}");
        Assert.True(TestMemoryCgroup.PeakUsageBytes(cgroup.Directory) > LimitBytes * 9 / 10, "the page cache did not fill the cgroup");
        Assert.Equal("Normal", result["highest_level"]);
        Assert.Equal(0, result.Number("noncore_shed"));
        Assert.Equal(0, result.Number("noncore_failed"));
        Assert.Equal(result.Number("core_sent"), result.Number("core_served"));
        Assert.InRange(result.Number("max_usage_header"), 0, 79);
        Assert.Equal(0, TestMemoryCgroup.OomKills(cgroup.Directory));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_temporaryDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A scan file still being deleted by the killed service: the directory goes with the next run's temp cleanup.
        }
    }

    /// <summary>A fresh directory for the service's scan files, on disk (tmpfs pages are not page cache the kernel can drop).</summary>
    private static string ScratchDirectory()
    {
        var parent = new DriveInfo(Path.GetTempPath()).DriveFormat == "tmpfs" ? LeakyServiceProcess.OutputDirectory : Path.GetTempPath();
        return Directory.CreateDirectory(Path.Join(parent, $"mc-survival-{Guid.NewGuid():N}")).FullName;
    }

    private static TestMemoryCgroup Limited()
    {
        var cgroup = new TestMemoryCgroup(LimitBytes);
        TestMemoryCgroup.ForbidSwap(cgroup.Directory, LimitBytes);
        return cgroup;
    }
}
