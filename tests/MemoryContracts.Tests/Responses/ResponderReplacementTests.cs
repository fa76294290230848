using MemoryContracts.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MemoryContracts.Tests.Responses;

/// <summary>A custom responder with a built-in's name replaces the built-in when registered after AddMemoryContracts (docs/responses.md).</summary>
public sealed class ResponderReplacementTests
{
    [Fact]
    public async Task TickAsync_ResponderNamedTrimCachesRegisteredAfterAddMemoryContracts_RunsInsteadOfTheBuiltIn()
    {
        var custom = new RecordingResponder("trim_caches");
        var pool = new CountingTrimmable();
        await using var services = Build(s =>
        {
            s.AddMemoryContracts(o => o.Contract = TestContracts.SingleModule(1000));
            s.AddMemoryTrimmable("app", pool);
            s.AddSingleton<IMemoryPressureResponder>(custom);
        });
        var guard = services.GetRequiredService<MemoryGuard>();

        Assert.Same(custom, guard.Dispatcher.Responders["trim_caches"]);
        await TickAsync(services, guard, heapMb: 850);

        Assert.Equal(PressureLevel.Elevated, Assert.Single(custom.Changes).Level);
        Assert.Equal(0, pool.Trims);   // the built-in would have trimmed it
    }

    [Fact]
    public async Task Dispatcher_ResponderNamedAlertRegisteredBeforeAddMemoryContracts_TheBuiltInStays()
    {
        var custom = new RecordingResponder("alert");
        await using var services = Build(s =>
        {
            s.AddSingleton<IMemoryPressureResponder>(custom);
            s.AddMemoryContracts(o => o.Contract = TestContracts.SingleModule(1000));
        });
        var guard = services.GetRequiredService<MemoryGuard>();

        Assert.NotSame(custom, guard.Dispatcher.Responders["alert"]);
        await TickAsync(services, guard, heapMb: 850);

        Assert.Empty(custom.Changes);
        Assert.Single(services.GetRequiredService<FakeLoggerProvider>().WithEvent(200));
    }

    [Fact]
    public async Task TickAsync_NoReplacement_TheBuiltInTrimCachesTrims()
    {
        var pool = new CountingTrimmable();
        await using var services = Build(s =>
        {
            s.AddMemoryContracts(o => o.Contract = TestContracts.SingleModule(1000));
            s.AddMemoryTrimmable("app", pool);
        });

        await TickAsync(services, services.GetRequiredService<MemoryGuard>(), heapMb: 850);

        Assert.Equal(1, pool.Trims);
    }

    private sealed class CountingTrimmable : IMemoryTrimmable
    {
        public int Trims { get; private set; }

        public string Name => "pool";

        public long EstimatedBytes => 1024;

        public long Trim(double fraction)
        {
            Trims++;
            return 0;
        }
    }

    private static ServiceProvider Build(Action<IServiceCollection> register)
    {
        var logs = new FakeLoggerProvider();
        var services = new ServiceCollection();
        services.AddSingleton(logs);
        services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        services.AddManualPressure(new TimerCountingTimeProvider(), new ScriptedSampler(heapMb: 10));
        services.AddSingleton<IGcControl>(new FakeGcControl());
        register(services);
        return services.BuildServiceProvider();
    }

    private static async Task TickAsync(ServiceProvider services, MemoryGuard guard, long heapMb)
    {
        ((ScriptedSampler)services.GetRequiredService<IMemorySampler>()).SetHeapMb(heapMb);
        ((FakeTimeProvider)services.GetRequiredService<TimeProvider>()).Advance(guard.Plan.Contract.SamplingInterval);
        await guard.TickAsync(CancellationToken.None);
        await guard.Dispatcher.DrainAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
    }
}
