using MemoryContracts.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace MemoryContracts.Tests.Diagnostics;

/// <summary><see cref="LeakWatch"/>: leak detection as a hosted service on the contract's sampling interval.</summary>
public sealed class LeakWatchTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private readonly TimerCountingTimeProvider _time = new();
    private readonly ScriptedLeakSampler _sampler = new();
    private readonly FakeLoggerProvider _logs = new();
    private readonly ServiceProvider _services;

    public LeakWatchTests()
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(_logs));
        services.AddMemoryContracts(o => o.Contract = Contract(new LeakDetectionPolicy { FullGcs = 3, MinGrowthBytes = 16 * 1024 * 1024 }));
        services.AddManualPressure(_time);
        services.RemoveAll<ILeakSampler>();
        services.AddSingleton<ILeakSampler>(_sampler);
        _services = services.BuildServiceProvider();
    }

    private LeakWatch Watch => _services.GetRequiredService<LeakWatch>();

    public void Dispose()
    {
        _services.Dispose();
        _sampler.ReadSignal.Dispose();
    }

    [Fact]
    public void Tick_HeapGrowsOverTheWindow_SuspectsLogsAndCountsOnce()
    {
        using var counter = MetricCollection.Counter(_services, MemoryContractsMetricNames.LeakSuspected);
        _sampler.Queue(100, 120, 140, 160);

        for (var i = 0; i < 4; i++)
        {
            Watch.Tick();
        }

        Assert.True(Watch.Current.Suspected);
        Assert.Equal(LeakSignals.Heap, Watch.Current.Grew);
        Assert.Single(_logs.WithEvent(700));
        Assert.Equal(1, counter.Total());
        Assert.Equal("heap", Assert.Single(counter.Tags())[MemoryContractsMetricNames.SignalTag]);
    }

    [Fact]
    public void Tick_NoFullCollectionSinceLastTick_KeepsTheVerdict()
    {
        _sampler.Queue(100, 120, 140);
        for (var i = 0; i < 3; i++)
        {
            Watch.Tick();
        }

        Watch.Tick();
        Watch.Tick();

        Assert.True(Watch.Current.Suspected);
        Assert.Equal(5, _sampler.Reads);
    }

    [Fact]
    public void Tick_HeapStopsGrowing_ClearsAndLogsCleared()
    {
        _sampler.Queue(100, 120, 140, 90, 90, 90);

        for (var i = 0; i < 6; i++)
        {
            Watch.Tick();
        }

        Assert.False(Watch.Current.Suspected);
        Assert.Single(_logs.WithEvent(701));
    }

    [Fact]
    public void Tick_LeakDetectionDisabled_NeverReadsTheSampler()
    {
        Publish(Contract(new LeakDetectionPolicy { Enabled = false }));
        _sampler.Queue(100, 120, 140);

        for (var i = 0; i < 3; i++)
        {
            Watch.Tick();
        }

        Assert.Equal(0, _sampler.Reads);
        Assert.False(Watch.Enabled);
        Assert.False(Watch.Current.Suspected);
    }

    [Fact]
    public void Tick_ContractChanged_StartsOver()
    {
        _sampler.Queue(100, 120, 140);
        for (var i = 0; i < 3; i++)
        {
            Watch.Tick();
        }

        Assert.True(Watch.Current.Suspected);

        Publish(Contract(new LeakDetectionPolicy { FullGcs = 3, MinGrowthBytes = 16 * 1024 * 1024 }));
        _sampler.Queue(160);
        Watch.Tick();

        Assert.False(Watch.Current.Suspected);
        Assert.Equal(1, Watch.Current.Heap.Readings);
    }

    [Fact]
    public void Tick_SamplerThrows_LogsAndTheNextTickRuns()
    {
        _sampler.Throw = true;
        Watch.Tick();
        _sampler.Throw = false;
        _sampler.Queue(100, 120, 140);
        for (var i = 0; i < 3; i++)
        {
            Watch.Tick();
        }

        Assert.Single(_logs.WithEvent(702));
        Assert.True(Watch.Current.Suspected);
    }

    [Fact]
    public async Task StartAsync_TicksAtTheSamplingIntervalOnTheInjectedClock()
    {
        await Watch.StartAsync(CancellationToken.None);
        try
        {
            _sampler.Queue(100, 120, 140);
            for (var i = 1; i <= 3; i++)
            {
                await WaitForTimerAsync();
                _time.Advance(TimeSpan.FromMilliseconds(500));
                Assert.True(await _sampler.ReadSignal.WaitAsync(Bound), $"no read after tick {i}");
            }

            Assert.Equal(3, _sampler.Reads);
            await WaitUntilAsync(() => Watch.Current.Suspected);
        }
        finally
        {
            await Watch.StopAsync(CancellationToken.None);
        }

        Assert.NotNull(Watch.ExecuteTask);
        Assert.True(Watch.ExecuteTask!.IsCompletedSuccessfully);
    }

    private static MemoryContract Contract(LeakDetectionPolicy policy) => new()
    {
        SamplingInterval = TimeSpan.FromMilliseconds(500),
        LeakDetection = policy,
        Modules = [new ModuleContract { Name = "catalog", MaxHeapBytes = 512L * 1024 * 1024 }],
    };

    private void Publish(MemoryContract contract) =>
        _services.GetRequiredService<MemoryPressureMonitor>().Publish(
            new MemoryPressureSnapshot(PressureLevel.Normal, 0, 0, _time.GetUtcNow(), []) { Plan = new ContractPlan(contract) });

    /// <summary>Waits (bounded) until the watch's periodic timer is armed, so advancing the clock fires it.</summary>
    private Task WaitForTimerAsync() => WaitUntilAsync(() => _time.ActiveTimers > 0);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Yield();
        }
    }
}
