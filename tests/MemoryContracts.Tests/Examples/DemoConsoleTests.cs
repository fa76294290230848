using InventoryService;
using ShopApi.Demo;

namespace MemoryContracts.Tests.Examples;

public class DemoConsoleTests
{
    private static readonly ModuleCounts[] Requests =
    [
        new("catalog", 30, 10, 0),
        new("checkout", 15, 0, 0),
        new("reports", 0, 12, 0),
    ];

    [Fact]
    public void Format_CriticalFrame_ShowsHeapLevelRequestsAndActions()
    {
        var frame = new DemoFrame
        {
            At = TimeSpan.FromSeconds(12.3),
            Phase = "leak, shed",
            HeapMb = 181.6,
            UsagePercent = 96,
            Level = PressureLevel.Critical,
            Changes = [new LevelChange(TimeSpan.FromSeconds(12.2), PressureLevel.High, PressureLevel.Critical, 95, ["alert", "shed_requests", "compact_gc"])],
            ModuleChanges = [new ModuleLevelChange(TimeSpan.FromSeconds(12.2), "catalog", PressureLevel.Normal, PressureLevel.Elevated, 82)],
            Actions =
            [
                new GuardAction(TimeSpan.FromSeconds(12.2), "trim_caches", 2 * 1024 * 1024),
                new GuardAction(TimeSpan.FromSeconds(12.2), "shed_requests", 0),
                new GuardAction(TimeSpan.FromSeconds(12.3), "tighten_gc", 0, "latency Interactive"),
            ],
            Requests = Requests,
            LeakedMb = 171,
            CatalogCacheMb = 0,
            Inventory = new StockCacheCounts(0, 0, 15, 0),
        };

        var row = DemoConsole.Format(frame);

        Assert.Contains("12.3s", row);
        Assert.Contains("181.6", row);
        Assert.Contains("96%", row);
        Assert.Contains("Critical", row);
        Assert.Contains("30/10", row);
        Assert.Contains("15/0", row);
        Assert.Contains("0/15", row);
        Assert.Contains("[High → Critical at 95%: alert, shed_requests, compact_gc]", row);
        Assert.Contains("{catalog Normal → Elevated at 82%}", row);
        Assert.Contains("trim_caches (2.0 MB)", row);
        Assert.Contains("shed_requests", row);
        Assert.Contains("tighten_gc (latency Interactive)", row);
    }

    [Fact]
    public void Format_StepDownToNormal_ShowsNoResponses()
    {
        var frame = new DemoFrame
        {
            At = TimeSpan.FromSeconds(20),
            Phase = "calm",
            HeapMb = 5,
            UsagePercent = 3,
            Level = PressureLevel.Normal,
            Changes = [new LevelChange(TimeSpan.FromSeconds(19.9), PressureLevel.Elevated, PressureLevel.Normal, 3, [])],
            Actions = [new GuardAction(TimeSpan.FromSeconds(20), "gc_restored", 0, "latency SustainedLowLatency")],
            Requests = Requests,
            LeakedMb = 0,
            CatalogCacheMb = 1,
            Inventory = new StockCacheCounts(0, 15, 0, 0),
        };

        var row = DemoConsole.Format(frame);

        Assert.Contains("[Elevated → Normal at 3%]", row);
        Assert.Contains("gc_restored (latency SustainedLowLatency)", row);
    }

    [Fact]
    public void WriteStart_Services_PrintsTheirUrlsAndTheHeader()
    {
        using var output = new StringWriter();

        DemoConsole.WriteStart(new DemoStart(new Uri("http://127.0.0.1:5123/"), new Uri("http://127.0.0.1:5124/"), "/tmp/demo-snapshots"), output);

        var text = output.ToString();
        Assert.Contains("ShopApi on http://127.0.0.1:5123/", text);
        Assert.Contains("InventoryService on http://127.0.0.1:5124/", text);
        Assert.Contains("Dashboard: http://127.0.0.1:5123/memory-contracts", text);
        Assert.Contains("/tmp/demo-snapshots", text);
        Assert.Contains("level changes / guard actions seen", text);
    }

    [Fact]
    public void WriteSummary_FailedRun_ListsEveryFailure()
    {
        var result = new DemoResult
        {
            Failures = ["The service never reached Critical.", "The service ended at High, not Normal."],
            Elapsed = TimeSpan.FromSeconds(20),
            BudgetMb = 193,
            BaselineMb = 1,
            PeakHeapMb = 180,
            PeakLeakedMb = 170,
            Changes = [new LevelChange(TimeSpan.FromSeconds(5), PressureLevel.Normal, PressureLevel.Elevated, 81), new LevelChange(TimeSpan.FromSeconds(7), PressureLevel.Elevated, PressureLevel.High, 91)],
            Actions = [],
            Requests = Requests,
            Inventory = new StockCacheCounts(1, 2, 3, 0),
        };
        using var output = new StringWriter();

        DemoConsole.WriteSummary(result, output);

        var text = output.ToString();
        Assert.False(result.Passed);
        Assert.Contains("FAIL:", text);
        Assert.Contains("never reached Critical", text);
        Assert.Contains("ended at High", text);
        Assert.Matches(@"Critical\s+never", text);
        Assert.Matches(@"Elevated\s+5\.0s\s+2\.0s", text);
        Assert.Matches(@"High\s+7\.0s\s+13\.0s", text);
    }

    [Fact]
    public void WriteSummary_PassedRun_SaysPassWithThePath()
    {
        var result = new DemoResult
        {
            Failures = [],
            Elapsed = TimeSpan.FromSeconds(20),
            BudgetMb = 193,
            BaselineMb = 1,
            PeakHeapMb = 183,
            PeakLeakedMb = 171,
            Changes =
            [
                new LevelChange(TimeSpan.FromSeconds(5), PressureLevel.Normal, PressureLevel.Elevated, 81),
                new LevelChange(TimeSpan.FromSeconds(7), PressureLevel.Elevated, PressureLevel.High, 91),
                new LevelChange(TimeSpan.FromSeconds(9), PressureLevel.High, PressureLevel.Critical, 95),
                new LevelChange(TimeSpan.FromSeconds(12), PressureLevel.Critical, PressureLevel.High, 2),
                new LevelChange(TimeSpan.FromSeconds(13), PressureLevel.High, PressureLevel.Elevated, 2),
                new LevelChange(TimeSpan.FromSeconds(14), PressureLevel.Elevated, PressureLevel.Normal, 2),
            ],
            Actions = [new GuardAction(TimeSpan.FromSeconds(5), "trim_caches", 3 * 1024 * 1024), new GuardAction(TimeSpan.FromSeconds(7), "trim_caches", 1024 * 1024)],
            Requests = Requests,
            Inventory = new StockCacheCounts(1, 2, 3, 0),
            SnapshotDirectory = "/tmp/demo-snapshots",
        };
        using var output = new StringWriter();

        DemoConsole.WriteSummary(result, output);

        var text = output.ToString();
        Assert.Contains("PASS: the service went Normal → Elevated → High → Critical and back to Normal", text);
        Assert.Contains("trim_caches x2 (4.0 MB)", text);
        Assert.Contains("3 bypassed", text);
        Assert.Contains("snapshots: /tmp/demo-snapshots", text);
    }
}
