using MemoryContracts.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MemoryContracts.Tests.Diagnostics;

/// <summary><see cref="AllocationProfileFollower"/>: the allocation profile runs from Elevated up, is off in Normal, and profiles in shadow mode too.</summary>
public sealed class AllocationProfileFollowerTests : IAsyncDisposable
{
    private readonly FakeLoggerProvider _logs = new();
    private readonly ServiceProvider _services;

    public AllocationProfileFollowerTests()
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(_logs));
        services.AddMemoryContracts(o => o.Contract = TestContracts.SingleModule(1000));
        services.AddManualPressure();
        _services = services.BuildServiceProvider();
    }

    private AllocationProfiler Profiler => _services.GetRequiredService<AllocationProfiler>();

    private AllocationProfileFollower Follower => _services.GetRequiredService<AllocationProfileFollower>();

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    [Fact]
    public async Task StartAsync_Normal_ProfilerOff()
    {
        await Follower.StartAsync(CancellationToken.None);
        _services.Publish(PressureLevel.Normal);

        Assert.False(Profiler.IsRunning);
        Assert.Empty(_logs.WithEvent(710));
    }

    [Fact]
    public async Task OnChange_ElevatedThenNormal_StartsThenStops()
    {
        await Follower.StartAsync(CancellationToken.None);

        _services.Publish(PressureLevel.Elevated);
        Assert.True(Profiler.IsRunning);
        _services.Publish(PressureLevel.High);
        Assert.True(Profiler.IsRunning);
        _services.Publish(PressureLevel.Normal);

        Assert.False(Profiler.IsRunning);
        Assert.Single(_logs.WithEvent(710));
        Assert.Single(_logs.WithEvent(711));
    }

    [Fact]
    public async Task OnChange_ShadowModeAtElevated_StillProfiles()
    {
        await Follower.StartAsync(CancellationToken.None);
        var monitor = _services.GetRequiredService<MemoryPressureMonitor>();

        monitor.Publish(new MemoryPressureSnapshot(PressureLevel.Elevated, 70, 0, DateTimeOffset.UtcNow, [])
        {
            Plan = new ContractPlan(TestContracts.SingleModule(1000, mode: MemoryContractMode.Shadow)),
        });

        Assert.True(monitor.Current.Plan.IsShadow);
        Assert.True(Profiler.IsRunning);
    }

    [Fact]
    public async Task StopAsync_WhileRunning_StopsAndUnsubscribes()
    {
        await Follower.StartAsync(CancellationToken.None);
        _services.Publish(PressureLevel.Critical);

        await Follower.StopAsync(CancellationToken.None);
        _services.Publish(PressureLevel.Critical);

        Assert.False(Profiler.IsRunning);
    }
}
