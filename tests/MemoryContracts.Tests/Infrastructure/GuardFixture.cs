using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace MemoryContracts.Tests.Infrastructure;

/// <summary>
/// A guard wired through DI (AddMemoryContracts) with a fake clock, a scripted sampler and a fake GC,
/// ticked by hand: <see cref="TickAsync(long)"/> moves time one interval and grades one sample.
/// </summary>
internal sealed class GuardFixture : IAsyncDisposable
{
    private GuardFixture(ServiceProvider services, TimerCountingTimeProvider time, ScriptedSampler sampler, FakeGcControl gc, FakeLoggerProvider logs)
    {
        Services = services;
        Time = time;
        Sampler = sampler;
        Gc = gc;
        Logs = logs;
        Monitor = services.GetRequiredService<MemoryPressureMonitor>();
    }

    public ServiceProvider Services { get; }

    public TimerCountingTimeProvider Time { get; }

    public ScriptedSampler Sampler { get; }

    public FakeGcControl Gc { get; }

    public FakeLoggerProvider Logs { get; }

    public MemoryGuard Guard => Services.GetRequiredService<MemoryGuard>();

    public MemoryPressureMonitor Monitor { get; }

    public MemoryPressureSnapshot Current => Monitor.Current;

    public static GuardFixture Create(MemoryContract contract, Action<IServiceCollection>? configure = null, long capacityMb = 4096)
    {
        var time = new TimerCountingTimeProvider();
        var sampler = new ScriptedSampler(heapMb: 10, capacityMb: capacityMb);
        var gc = new FakeGcControl();
        var logs = new FakeLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        services.AddManualPressure(time, sampler);
        services.AddSingleton<IGcControl>(gc);
        configure?.Invoke(services);
        services.AddMemoryContracts(o => o.Contract = contract);
        return new GuardFixture(services.BuildServiceProvider(), time, sampler, gc, logs);
    }

    /// <summary>Moves time one sampling interval and grades a sample with this heap.</summary>
    public async Task<MemoryPressureSnapshot> TickAsync(long heapMb)
    {
        Sampler.SetHeapMb(heapMb);
        return await TickAsync();
    }

    public async Task<MemoryPressureSnapshot> TickAsync()
    {
        Time.Advance(Guard.Plan.Contract.SamplingInterval);
        await Guard.TickAsync(CancellationToken.None);
        await RespondersIdleAsync();
        return Current;
    }

    public async Task TicksAsync(long heapMb, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await TickAsync(heapMb);
        }
    }

    /// <summary>Waits (bounded) until the responders the guard handed changes to have run: they run off the loop.</summary>
    public Task RespondersIdleAsync() => Guard.Dispatcher.DrainAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}
