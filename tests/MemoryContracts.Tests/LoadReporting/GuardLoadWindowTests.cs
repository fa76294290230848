using MemoryContracts.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts.Tests.LoadReporting;

/// <summary>The guard's tick moves the load window: rates come from the same loop that grades memory.</summary>
public sealed class GuardLoadWindowTests
{
    [Fact]
    public async Task Tick_OnceASecond_PublishesTheRatesOfTheCountedRequests()
    {
        var cpu = new ScriptedCpuClock(cores: 4);
        await using var f = GuardFixture.Create(TestContracts.SingleModule(), s => s.AddSingleton<IProcessCpuClock>(cpu));
        var tally = f.Services.GetRequiredService<RequestTally>();
        var window = f.Services.GetRequiredService<LoadWindow>();

        await f.TickAsync();                       // t = 0.5 s: the first checkpoint
        for (var i = 0; i < 30; i++)
        {
            tally.CountRequest();
        }

        tally.CountShed();
        cpu.Use(TimeSpan.FromSeconds(2));
        await f.TickAsync();                       // t = 1.0 s: half a second, no new window
        Assert.Equal(0, window.Current.Sequence);
        await f.TickAsync();                       // t = 1.5 s: a second since the checkpoint

        Assert.Equal(new LoadFigures(0.5, 30, 1, 1), window.Current);
    }

    [Fact]
    public async Task Tick_SamplerThrows_WindowStillReadOnTheNextGoodTick()
    {
        var cpu = new ScriptedCpuClock();
        await using var f = GuardFixture.Create(TestContracts.SingleModule(), s => s.AddSingleton<IProcessCpuClock>(cpu));
        var window = f.Services.GetRequiredService<LoadWindow>();
        await f.TickAsync();
        f.Services.GetRequiredService<RequestTally>().CountShed();

        f.Sampler.Throw = new InvalidOperationException("sampler down");
        await f.TickAsync();
        await f.TickAsync();
        Assert.Equal(0, window.Current.Sequence);
        f.Sampler.Throw = null;
        await f.TickAsync();

        Assert.Equal(1, window.Current.Sequence);
        Assert.Equal(1.0 / 1.5, window.Current.ErrorsPerSecond, 10);
    }
}
