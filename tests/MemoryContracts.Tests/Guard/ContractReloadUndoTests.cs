using System.Runtime;
using MemoryContracts.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts.Tests.Guard;

/// <summary>
/// Issue 10, defect 5 (DESIGN §13, "leaving pressure undoes everything"): switching to shadow, or
/// reloading a contract that no longer names a responder in force, restores the GC settings and log
/// levels it changed and tells custom responders to undo, on the tick that applies the contract.
/// </summary>
public sealed class ContractReloadUndoTests
{
    private static readonly QuietLogsPolicy Quiet = new() { Categories = ["Noisy"], Level = Microsoft.Extensions.Logging.LogLevel.Error };

    private static MemoryContract Contract(MemoryContractMode mode = MemoryContractMode.Enforce, string version = "v1", params string[] high) => new()
    {
        Version = version,
        Mode = mode,
        Modules = [new ModuleContract { Name = "app", MaxHeapBytes = 1000 * TestContracts.MB }],
        Responses = new ResponsePolicy { Elevated = [], High = high, Critical = high, QuietLogs = Quiet },
    };

    private static async Task<GuardFixture> AtHighAsync(MemoryContract contract, params RecordingResponder[] recorders)
    {
        var f = GuardFixture.Create(contract, s =>
        {
            foreach (var recorder in recorders)
            {
                s.AddSingleton<IMemoryPressureResponder>(recorder);
            }
        });
        await f.TicksAsync(920, 2);
        Assert.Equal(PressureLevel.High, f.Current.Level);
        return f;
    }

    private static void Reload(GuardFixture f, MemoryContract contract) =>
        f.Services.GetRequiredService<MemoryContractSource>().Replace(contract);

    [Fact]
    public async Task TickAsync_ReloadToShadowAtHigh_RestoresGcAndLogLevels()
    {
        await using var f = await AtHighAsync(Contract(high: ["tighten_gc", "quiet_logs"]));
        var quiet = f.Services.GetRequiredService<QuietLogsSwitch>();
        Assert.Equal(GCLatencyMode.Interactive, f.Gc.LatencyMode);
        Assert.True(quiet.IsQuiet);

        Reload(f, Contract(MemoryContractMode.Shadow, high: ["tighten_gc", "quiet_logs"]));
        await f.TickAsync(920);

        Assert.Equal(PressureLevel.High, f.Current.Level);
        Assert.Equal(GCLatencyMode.SustainedLowLatency, f.Gc.LatencyMode);
        Assert.Equal(GCLargeObjectHeapCompactionMode.Default, f.Gc.LargeObjectHeapCompactionMode);
        Assert.False(quiet.IsQuiet);
        Assert.False(f.Services.GetRequiredService<GcTightening>().IsTightened);
        Assert.Single(f.Logs.WithEvent(221));
        Assert.Single(f.Logs.WithEvent(261));
        Assert.Single(f.Logs.WithEvent(112));
    }

    [Fact]
    public async Task TickAsync_ReloadWithoutTightenGc_RestoresGcKeepsLogsQuiet()
    {
        await using var f = await AtHighAsync(Contract(high: ["tighten_gc", "quiet_logs"]));
        var quiet = f.Services.GetRequiredService<QuietLogsSwitch>();

        Reload(f, Contract(version: "v2", high: ["quiet_logs"]));
        await f.TickAsync(920);

        Assert.Equal(GCLatencyMode.SustainedLowLatency, f.Gc.LatencyMode);
        Assert.Equal(GCLargeObjectHeapCompactionMode.Default, f.Gc.LargeObjectHeapCompactionMode);
        Assert.True(quiet.IsQuiet);
    }

    [Fact]
    public async Task TickAsync_ReloadWithoutQuietLogs_RestoresLogLevelsKeepsGcTightened()
    {
        await using var f = await AtHighAsync(Contract(high: ["tighten_gc", "quiet_logs"]));
        var quiet = f.Services.GetRequiredService<QuietLogsSwitch>();

        Reload(f, Contract(version: "v2", high: ["tighten_gc"]));
        await f.TickAsync(920);

        Assert.False(quiet.IsQuiet);
        Assert.Equal(GCLatencyMode.Interactive, f.Gc.LatencyMode);
    }

    [Fact]
    public async Task TickAsync_ReloadMovesTightenGcAwayFromTheCurrentLevel_RestoresGc()
    {
        await using var f = await AtHighAsync(Contract(high: ["tighten_gc"]));

        var moved = Contract(version: "v2");
        Reload(f, new MemoryContract
        {
            Version = "v2",
            Modules = moved.Modules,
            Responses = new ResponsePolicy { Elevated = [], High = [], Critical = ["tighten_gc"] },
        });
        await f.TickAsync(920);

        Assert.Equal(GCLatencyMode.SustainedLowLatency, f.Gc.LatencyMode);
    }

    [Fact]
    public async Task TickAsync_ReloadNamingTheSameResponders_UndoesNothing()
    {
        var recorder = new RecordingResponder("rec");
        await using var f = await AtHighAsync(Contract(high: ["tighten_gc", "quiet_logs", "rec"]), recorder);
        var calls = recorder.Changes.Count;

        Reload(f, Contract(version: "v2", high: ["tighten_gc", "quiet_logs", "rec"]));
        await f.TickAsync(920);

        Assert.Equal("v2", f.Current.ContractVersion);
        Assert.Equal(GCLatencyMode.Interactive, f.Gc.LatencyMode);
        Assert.True(f.Services.GetRequiredService<QuietLogsSwitch>().IsQuiet);
        Assert.Equal(calls, recorder.Changes.Count);
        Assert.Empty(f.Logs.WithEvent(112));
    }

    [Fact]
    public async Task TickAsync_ReloadDropsACustomResponder_ToldToUndoAsOnAReturnToNormal()
    {
        var dropped = new RecordingResponder("dropped");
        var kept = new RecordingResponder("kept");
        await using var f = await AtHighAsync(Contract(high: ["dropped", "kept"]), dropped, kept);
        var keptCalls = kept.Changes.Count;
        var before = f.Current;

        Reload(f, Contract(version: "v2", high: ["kept"]));
        await f.TickAsync(920);

        var undo = dropped.Changes[^1];
        Assert.Equal(PressureLevel.Normal, undo.Level);
        Assert.Equal(PressureLevel.High, undo.PreviousLevel);
        Assert.False(undo.IsEscalation);
        Assert.Equal("v1", undo.Contract.Version);
        Assert.Equal(before.UsagePercent, undo.Snapshot.UsagePercent);
        Assert.Equal(keptCalls, kept.Changes.Count);

        // Told once: later ticks at the same level do not repeat it.
        await f.TickAsync(920);
        Assert.Same(undo, dropped.Changes[^1]);
    }

    [Fact]
    public async Task TickAsync_ReloadToShadow_TellsEveryCustomResponderToUndo()
    {
        var recorder = new RecordingResponder("rec");
        await using var f = await AtHighAsync(Contract(high: ["rec", "shed_requests"]), recorder);
        Assert.Equal(1.0, f.Current.ShedFraction);

        Reload(f, Contract(MemoryContractMode.Shadow, high: ["rec", "shed_requests"]));
        await f.TickAsync(920);

        Assert.Equal(PressureLevel.Normal, recorder.Changes[^1].Level);
        Assert.Equal(0, f.Current.ShedFraction);
        Assert.Single(f.Logs.WithEvent(241));
    }

    [Fact]
    public async Task TickAsync_ReloadDropsAThrowingResponder_GcStillRestoredAndFailureCounted()
    {
        var failing = new RecordingResponder("failing") { Throw = new InvalidOperationException("undo broke") };
        await using var f = await AtHighAsync(Contract(high: ["failing", "tighten_gc"]), failing);
        var failures = f.Logs.WithEvent(103).Count;

        Reload(f, Contract(MemoryContractMode.Shadow, high: ["failing", "tighten_gc"]));
        await f.TickAsync(920);

        Assert.Equal(GCLatencyMode.SustainedLowLatency, f.Gc.LatencyMode);
        Assert.Equal(failures + 1, f.Logs.WithEvent(103).Count);
        Assert.Equal(PressureLevel.Normal, failing.Changes[^1].Level);
    }

    [Fact]
    public async Task TickAsync_ReloadToShadowWhileGcTriggerHolds_ReleasesTheTrigger()
    {
        var contract = new MemoryContract
        {
            Modules = [new ModuleContract { Name = "app", MaxHeapBytes = 1000 * TestContracts.MB, GcTriggerRatio = 0.5 }],
            Responses = TestContracts.NoResponses,
        };
        await using var f = GuardFixture.Create(contract);
        await f.TickAsync(600);
        Assert.Equal(PressureLevel.Normal, f.Current.Level);
        Assert.Equal(GCLatencyMode.Interactive, f.Gc.LatencyMode);

        Reload(f, new MemoryContract { Mode = MemoryContractMode.Shadow, Modules = contract.Modules, Responses = TestContracts.NoResponses });
        await f.TickAsync(600);

        Assert.Equal(GCLatencyMode.SustainedLowLatency, f.Gc.LatencyMode);
        Assert.Single(f.Logs.WithEvent(109));
    }
}
