using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using System.Diagnostics.Metrics;
using System.Runtime;
using MemoryContracts.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts.Tests.Guard;

public class MemoryGuardTests
{
    private static ResponsePolicy Recording(params string[] extra) => new()
    {
        Elevated = ["rec", .. extra],
        High = ["rec", .. extra],
        Critical = ["rec", .. extra],
    };

    private static GuardFixture WithRecorder(out RecordingResponder recorder, MemoryContract? contract = null, string name = "rec")
    {
        var r = new RecordingResponder(name);
        recorder = r;
        return GuardFixture.Create(contract ?? TestContracts.SingleModule(1000, responses: Recording()), s => s.AddSingleton<IMemoryPressureResponder>(r));
    }

    [Fact]
    public async Task StartAsync_FirstSample_PublishedBeforeStartReturns()
    {
        await using var f = GuardFixture.Create(TestContracts.SingleModule(1000));
        f.Sampler.SetHeapMb(680);

        await f.Guard.StartAsync(CancellationToken.None);
        try
        {
            Assert.Equal(1, f.Sampler.Calls);
            Assert.Equal(68, f.Current.UsagePercent);
            Assert.Equal(1000 * TestContracts.MB, f.Current.CapacityBytes);
            Assert.Equal("v1.2", f.Current.ContractVersion);
            Assert.NotNull(f.Monitor.LastSampledAt);
        }
        finally
        {
            await f.Guard.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task ExecuteAsync_TimeAdvances_TicksEveryInterval()
    {
        await using var f = GuardFixture.Create(TestContracts.SingleModule(1000));
        await f.Guard.StartAsync(CancellationToken.None);
        try
        {
            for (var expected = 2; expected <= 4; expected++)
            {
                await WaitUntil(() => f.Time.ActiveTimers > 0);
                f.Time.Advance(TimeSpan.FromMilliseconds(500));
                await WaitUntil(() => f.Sampler.Calls >= expected);
                Assert.Equal(expected, f.Sampler.Calls);
            }
        }
        finally
        {
            await f.Guard.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task ExecuteAsync_SamplerThrows_LoopKeepsTicking()
    {
        await using var f = GuardFixture.Create(TestContracts.SingleModule(1000));
        await f.Guard.StartAsync(CancellationToken.None);
        try
        {
            f.Sampler.Throw = new InvalidOperationException("boom");
            await WaitUntil(() => f.Time.ActiveTimers > 0);
            f.Time.Advance(TimeSpan.FromMilliseconds(500));
            await WaitUntil(() => f.Sampler.Calls >= 2);

            f.Sampler.Throw = null;
            f.Sampler.SetHeapMb(500);
            f.Time.Advance(TimeSpan.FromMilliseconds(500));
            await WaitUntil(() => f.Current.UsagePercent == 50);

            Assert.Equal(50, f.Current.UsagePercent);
            Assert.NotEmpty(f.Logs.WithEvent(101));
        }
        finally
        {
            await f.Guard.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task ExecuteAsync_TickStartsLate_RecordsHowLate()
    {
        await using var f = GuardFixture.Create(TestContracts.SingleModule(1000));
        using var lag = MetricCollection.Collect<double>(f.Services, MemoryContractsMetricNames.TickLag);
        await f.Guard.StartAsync(CancellationToken.None);
        try
        {
            // On time: one interval (500 ms) after the loop started.
            await WaitUntil(() => f.Time.ActiveTimers > 0);
            f.Time.Advance(TimeSpan.FromMilliseconds(500));
            await WaitUntil(() => lag.GetMeasurementSnapshot().Count >= 1);

            // Four intervals pass before the loop runs again: that tick started 1.5 s late.
            await WaitUntil(() => f.Time.ActiveTimers > 0);
            f.Time.Advance(TimeSpan.FromMilliseconds(2000));
            await WaitUntil(() => lag.GetMeasurementSnapshot().Count >= 2);

            var values = lag.GetMeasurementSnapshot().Select(m => m.Value).ToArray();
            Assert.Equal(0, values[0], 3);
            Assert.Equal(1.5, values[1], 3);
        }
        finally
        {
            await f.Guard.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task TickAsync_SamplerThrows_NoPublishAndCounted()
    {
        await using var f = GuardFixture.Create(TestContracts.SingleModule(1000));
        using var failures = MetricCollection.Counter(f.Services, MemoryContractsMetricNames.SamplerFailures);
        await f.TickAsync(500);
        var before = f.Current;

        f.Sampler.Throw = new InvalidOperationException("boom");
        await f.TickAsync(900);

        Assert.Same(before, f.Current);
        Assert.Equal(1, failures.Total());
    }

    [Fact]
    public async Task TickAsync_ClimbToCritical_PublishesEachLevelAndRunsResponders()
    {
        await using var f = WithRecorder(out var recorder, TestContracts.SingleModule(1000, responses: Recording("shed_requests")));
        var levels = new List<PressureLevel>();
        for (var i = 0; i < 3; i++)
        {
            levels.Add((await f.TickAsync(960)).Level);
        }

        Assert.Equal([PressureLevel.Elevated, PressureLevel.High, PressureLevel.Critical], levels);
        Assert.Equal([PressureLevel.Elevated, PressureLevel.High, PressureLevel.Critical], recorder.Changes.Select(c => c.Level));
        Assert.Equal([PressureLevel.Normal, PressureLevel.Elevated, PressureLevel.High], recorder.Changes.Select(c => c.PreviousLevel));
        Assert.Equal(1.0, f.Current.ShedFraction);
    }

    [Fact]
    public async Task TickAsync_Recovery_StepsDownOneLevelPerRecoveryRun()
    {
        await using var f = WithRecorder(out var recorder);
        await f.TicksAsync(960, 3);
        Assert.Equal(PressureLevel.Critical, f.Current.Level);

        await f.TicksAsync(100, 4);
        Assert.Equal(PressureLevel.Critical, f.Current.Level);
        await f.TickAsync(100);
        Assert.Equal(PressureLevel.High, f.Current.Level);
        await f.TicksAsync(100, 10);

        Assert.Equal(PressureLevel.Normal, f.Current.Level);
        Assert.Equal(0, f.Current.ShedFraction);
        Assert.Equal(
            [PressureLevel.High, PressureLevel.Elevated, PressureLevel.Normal],
            recorder.Changes.Skip(3).Select(c => c.Level));
        Assert.All(recorder.Changes.Skip(3), c => Assert.False(c.IsEscalation));
    }

    [Fact]
    public async Task TickAsync_NothingChanged_KeepsSameSnapshot()
    {
        await using var f = GuardFixture.Create(TestContracts.SingleModule(1000));
        await f.TickAsync(500);
        var first = f.Current;

        await f.TickAsync(500);
        await f.TickAsync(501);

        Assert.Same(first, f.Current);
    }

    [Fact]
    public async Task TickAsync_ResponderThrows_OthersStillRunAndFailureCounted()
    {
        var failing = new RecordingResponder("failing") { Throw = new InvalidOperationException("responder broke") };
        var after = new RecordingResponder("after");
        var contract = TestContracts.SingleModule(1000, responses: new ResponsePolicy { Elevated = ["failing", "after"], High = [], Critical = [] });
        await using var f = GuardFixture.Create(contract, s =>
        {
            s.AddSingleton<IMemoryPressureResponder>(failing);
            s.AddSingleton<IMemoryPressureResponder>(after);
        });
        using var failures = MetricCollection.Counter(f.Services, MemoryContractsMetricNames.ResponderFailures);

        await f.TickAsync(850);

        Assert.Single(failing.Changes);
        Assert.Single(after.Changes);
        Assert.Equal(1, failures.Total());
        Assert.Contains(f.Logs.WithEvent(103), e => e.Exception is InvalidOperationException);
        Assert.Equal(PressureLevel.Elevated, f.Current.Level);

        // And the guard goes on.
        await f.TicksAsync(960, 3);
        Assert.Equal(PressureLevel.Critical, f.Current.Level);
    }

    [Fact]
    public async Task TickAsync_ShadowMode_GradesButRunsNoResponder()
    {
        var contract = TestContracts.SingleModule(1000, mode: MemoryContractMode.Shadow, responses: Recording("tighten_gc", "compact_gc", "shed_requests"));
        await using var f = WithRecorder(out var recorder, contract);

        await f.TicksAsync(960, 3);

        Assert.Equal(PressureLevel.Critical, f.Current.Level);
        Assert.Equal(0, f.Current.ShedFraction);
        Assert.Empty(recorder.Changes);
        Assert.Equal(0, f.Gc.Collections);
        Assert.Equal(GCLatencyMode.SustainedLowLatency, f.Gc.LatencyMode);
        Assert.Equal(3, f.Logs.WithEvent(104).Count);
    }

    [Fact]
    public async Task TickAsync_TightenGcThenNormal_RestoresOriginalSettings()
    {
        var contract = TestContracts.SingleModule(1000, responses: new ResponsePolicy { Elevated = [], High = ["tighten_gc"], Critical = ["tighten_gc"] });
        await using var f = GuardFixture.Create(contract);

        await f.TicksAsync(920, 2);
        Assert.Equal(PressureLevel.High, f.Current.Level);
        Assert.Equal(GCLatencyMode.Interactive, f.Gc.LatencyMode);
        Assert.Equal(GCLargeObjectHeapCompactionMode.CompactOnce, f.Gc.LargeObjectHeapCompactionMode);

        await f.TicksAsync(100, 5);
        Assert.Equal(PressureLevel.Elevated, f.Current.Level);
        Assert.Equal(GCLatencyMode.Interactive, f.Gc.LatencyMode);

        await f.TicksAsync(100, 5);
        Assert.Equal(PressureLevel.Normal, f.Current.Level);
        Assert.Equal(GCLatencyMode.SustainedLowLatency, f.Gc.LatencyMode);
        Assert.Equal(GCLargeObjectHeapCompactionMode.Default, f.Gc.LargeObjectHeapCompactionMode);
    }

    [Fact]
    public async Task StopAsync_WhileTightened_RestoresOriginalSettings()
    {
        var contract = TestContracts.SingleModule(1000, responses: new ResponsePolicy { Elevated = ["tighten_gc"], High = [], Critical = [] });
        await using var f = GuardFixture.Create(contract);
        await f.TickAsync(850);
        Assert.Equal(GCLatencyMode.Interactive, f.Gc.LatencyMode);

        // Ticked by hand (no timer loop racing the test); stopping still restores.
        await f.Guard.StopAsync(CancellationToken.None);

        Assert.Equal(GCLatencyMode.SustainedLowLatency, f.Gc.LatencyMode);
    }

    [Fact]
    public async Task TickAsync_HeapPassesGcTriggerRatio_TightensWithoutLevelChange()
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

        await f.TickAsync(300);
        Assert.Equal(GCLatencyMode.SustainedLowLatency, f.Gc.LatencyMode);
    }

    [Fact]
    public async Task TickAsync_CompactGc_AtMostOncePerMinInterval()
    {
        var contract = TestContracts.SingleModule(1000, responses: new ResponsePolicy { Elevated = ["compact_gc"], High = [], Critical = [] }, escalation: new EscalationPolicy { RecoverySamples = 1 });
        await using var f = GuardFixture.Create(contract);
        using var induced = MetricCollection.Counter(f.Services, MemoryContractsMetricNames.GcInduced);

        await f.TickAsync(850);
        await f.TickAsync(100);
        await f.TickAsync(850);
        Assert.Equal(1, f.Gc.Collections);

        f.Time.Advance(TimeSpan.FromSeconds(30));
        await f.TickAsync(100);
        await f.TickAsync(850);

        Assert.Equal(2, f.Gc.Collections);
        Assert.Equal(2, induced.Total());
    }

    [Fact]
    public async Task TickAsync_LevelChanges_CountedPerModuleAndLevel()
    {
        await using var f = GuardFixture.Create(TestContracts.SingleModule(1000, responses: TestContracts.NoResponses));
        using var changes = MetricCollection.Counter(f.Services, MemoryContractsMetricNames.LevelChanges);

        await f.TicksAsync(960, 3);

        Assert.Equal(3, changes.Total());
        Assert.Contains(changes.Tags(), t => t.TryGetValue(MemoryContractsMetricNames.LevelTag, out var l) && (string?)l == "critical"
            && t.TryGetValue(MemoryContractsMetricNames.ModuleTag, out var m) && (string?)m == MemoryContractsMetricNames.ProcessModule);
    }

    [Fact]
    public async Task TickAsync_EverySample_RecordsDurationAndGauges()
    {
        await using var f = GuardFixture.Create(TestContracts.SingleModule(1000));
        using var durations = MetricCollection.Collect<double>(f.Services, MemoryContractsMetricNames.SampleDuration);
        using var levels = MetricCollection.Collect<int>(f.Services, MemoryContractsMetricNames.PressureLevel);
        using var utilization = MetricCollection.Collect<double>(f.Services, MemoryContractsMetricNames.HeapUtilization);

        await f.TickAsync(850);
        await f.TickAsync(850);
        levels.RecordObservableInstruments();
        utilization.RecordObservableInstruments();

        Assert.True(durations.GetMeasurementSnapshot().Count >= 2);
        Assert.Contains(levels.GetMeasurementSnapshot(), m => m.Value == 1 && m.MatchesTags(new KeyValuePair<string, object?>(MemoryContractsMetricNames.ModuleTag, MemoryContractsMetricNames.ProcessModule)));
        Assert.Contains(levels.GetMeasurementSnapshot(), m => m.Value == 0 && m.MatchesTags(new KeyValuePair<string, object?>(MemoryContractsMetricNames.ModuleTag, "app")));
        var processUtilization = utilization.GetMeasurementSnapshot().ContainsTags(new KeyValuePair<string, object?>(MemoryContractsMetricNames.ModuleTag, MemoryContractsMetricNames.ProcessModule)).ToList();
        Assert.Equal(0.85, Assert.Single(processUtilization).Value, 3);
    }

    [Fact]
    public async Task Constructor_UnknownResponderName_ThrowsNamingKey()
    {
        var contract = TestContracts.SingleModule(responses: new ResponsePolicy { High = ["alert", "page_oncall"] });
        await using var f = GuardFixture.Create(contract);

        var error = Assert.Throws<MemoryContractException>(() => f.Guard);

        Assert.Equal("responses.high[1]", error.Key);
        Assert.Contains("page_oncall", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TickAsync_ContractReplaced_AppliedOnNextTickKeepingLevels()
    {
        await using var f = GuardFixture.Create(TestContracts.SingleModule(1000, responses: TestContracts.NoResponses));
        await f.TickAsync(850);
        Assert.Equal(PressureLevel.Elevated, f.Current.Level);

        var source = f.Services.GetRequiredService<MemoryContractSource>();
        source.Replace(new MemoryContract
        {
            Version = "v2",
            Modules = [new ModuleContract { Name = "app", MaxHeapBytes = 2000 * TestContracts.MB }],
            Responses = TestContracts.NoResponses,
        });
        await f.TickAsync(850);

        Assert.Equal("v2", f.Current.ContractVersion);
        Assert.Equal(2000 * TestContracts.MB, f.Current.CapacityBytes);
        Assert.Equal(43, f.Current.UsagePercent);
        Assert.Equal(PressureLevel.Elevated, f.Current.Level);
    }

    [Fact]
    public async Task TickAsync_ReplacedContractNamesUnknownResponder_KeepsCurrentPlan()
    {
        await using var f = GuardFixture.Create(TestContracts.SingleModule(1000));
        var plan = f.Guard.Plan;

        f.Services.GetRequiredService<MemoryContractSource>().Replace(TestContracts.SingleModule(500, responses: new ResponsePolicy { Critical = ["nope"] }));
        await f.TickAsync(100);

        Assert.Same(plan, f.Guard.Plan);
        Assert.Single(f.Logs.WithEvent(107));
    }

    [Fact]
    public async Task TickAsync_SteepLeak_EscalatesToCriticalBeforeHeapReachesThreshold()
    {
        await using var f = GuardFixture.Create(TestContracts.SingleModule(1000, responses: TestContracts.NoResponses));
        var heap = 300L;
        while (f.Current.Level != PressureLevel.Critical && heap < 1000)
        {
            await f.TickAsync(heap);
            heap += 100;
        }

        Assert.Equal(PressureLevel.Critical, f.Current.Level);
        Assert.True(f.Current.UsagePercent < 95, $"Critical only at {f.Current.UsagePercent}%");
        Assert.Single(f.Logs.WithEvent(110));
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 5 s");
            await Task.Yield();
            Thread.Sleep(1);
        }
    }
}
