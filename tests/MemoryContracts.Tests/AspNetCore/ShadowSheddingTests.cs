using System.Net;
using MemoryContracts.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace MemoryContracts.Tests.AspNetCore;

/// <summary>
/// Shadow mode sheds nothing but says what it would shed: the guard's snapshot carries the would-shed
/// fraction (its shed fraction stays 0) and the middleware logs event 304 once per episode.
/// </summary>
public sealed class ShadowSheddingTests
{
    private const int ShadowWouldShed = 304;

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return response.StatusCode;
    }

    private static IReadOnlyList<FakeLogRecord> Events(FakeLoggerProvider logs, int id) =>
        [.. logs.Collector.GetSnapshot().Where(e => e.Id.Id == id && e.Category == typeof(MemoryContractsMiddleware).FullName)];

    [Fact]
    public void WouldShedFraction_ShadowMode_IgnoresTheModeWhileShedFractionStaysZero()
    {
        var plan = new ContractPlan(TestContracts.SingleModule(1000, mode: MemoryContractMode.Shadow));

        Assert.Equal(1, PressureEvaluator.WouldShedFraction(plan, PressureLevel.Critical, 0.97));
        Assert.Equal(0.5, PressureEvaluator.WouldShedFraction(plan, PressureLevel.High, 0.925), 6);
        Assert.Equal(0, PressureEvaluator.ShedFraction(plan, PressureLevel.Critical, 0.97));
        Assert.Equal(0, PressureEvaluator.ShedFraction(plan, PressureLevel.High, 0.925));
    }

    [Fact]
    public async Task TickAsync_ShadowModeAtHighAndCritical_PublishesWouldShedFractionAndShedFractionZero()
    {
        await using var f = GuardFixture.Create(TestContracts.SingleModule(1000, mode: MemoryContractMode.Shadow));

        await f.TicksAsync(925, 2);
        Assert.Equal(PressureLevel.High, f.Current.Level);
        Assert.Equal(0, f.Current.ShedFraction);
        Assert.Equal(0.5, f.Current.WouldShedFraction, 6);

        await f.TicksAsync(970, 3);
        Assert.Equal(PressureLevel.Critical, f.Current.Level);
        Assert.Equal(0, f.Current.ShedFraction);
        Assert.Equal(1, f.Current.WouldShedFraction);
    }

    [Fact]
    public async Task TickAsync_EnforceMode_WouldShedFractionEqualsShedFraction()
    {
        await using var f = GuardFixture.Create(TestContracts.SingleModule(1000));

        await f.TicksAsync(925, 2);

        Assert.Equal(0.5, f.Current.ShedFraction, 6);
        Assert.Equal(f.Current.ShedFraction, f.Current.WouldShedFraction);
    }

    [Fact]
    public async Task TickAsync_ShadowModeWouldShedPercentChangesAtSameUsage_PublishesNewSnapshot()
    {
        await using var f = GuardFixture.Create(TestContracts.SingleModule(1000, mode: MemoryContractMode.Shadow));
        await f.TicksAsync(925, 2);
        var first = f.Current;

        // 92.5% and 92.8% both round to a usage of 93%; the would-shed fraction moves from 50% to 56%,
        // which shadow publishes as enforce does.
        f.Sampler.SetHeapMb(928);
        await f.TickAsync();

        Assert.NotSame(first, f.Current);
        Assert.Equal(0.56, f.Current.WouldShedFraction, 2);
    }

    [Fact]
    public async Task InvokeAsync_ShadowSnapshotsWithWouldShedFraction_Logs304OncePerEpisodeWithPercentAndShedsNothing()
    {
        var logs = new FakeLoggerProvider();
        await using var app = await TestApp.StartAsync(
            TestApp.Contract(MemoryContractMode.Shadow),
            a => a.MapGet("/catalog/{id}", TestApp.Module),
            services => services.AddLogging(b => b.AddProvider(logs)));
        var client = app.GetTestClient();

        app.Services.Publish(PressureLevel.High, usagePercent: 92, shedFraction: 0, wouldShedFraction: 0.4);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/catalog/1"));
        app.Services.Publish(PressureLevel.Critical, usagePercent: 97, shedFraction: 0, wouldShedFraction: 1);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/catalog/1"));
        }

        var first = Assert.Single(Events(logs, ShadowWouldShed));
        Assert.Equal(LogLevel.Warning, first.Level);
        Assert.Contains("would shed 40%", first.Message, StringComparison.Ordinal);

        app.Services.Publish(PressureLevel.Normal);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/catalog/1"));
        app.Services.Publish(PressureLevel.Critical, usagePercent: 98, shedFraction: 0, wouldShedFraction: 1);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/catalog/1"));

        var events = Events(logs, ShadowWouldShed);
        Assert.Equal(2, events.Count);
        Assert.Contains("would shed 100%", events[1].Message, StringComparison.Ordinal);
        Assert.Empty(Events(logs, 300));
        Assert.Empty(Events(logs, 303));
    }

    [Fact]
    public async Task Guard_ShadowModeHeapAtCritical_Logs304ServesEverythingAndReportsWouldShed()
    {
        var time = new TimerCountingTimeProvider();
        var sampler = new ScriptedSampler(heapMb: 100);
        var logs = new FakeLoggerProvider();
        var contract = new MemoryContract
        {
            Mode = MemoryContractMode.Shadow,
            Modules = [new ModuleContract { Name = "catalog", MaxHeapBytes = 1000 * TestContracts.MB, Routes = ["/catalog"] }],
        };
        await using var app = await TestApp.StartAsync(contract, a =>
        {
            a.MapGet("/catalog/{id}", TestApp.Module);
            a.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready") });
        }, services => services.AddLogging(b => b.AddProvider(logs)), time: time, sampler: sampler);
        var client = app.GetTestClient();

        sampler.SetHeapMb(980);
        await TickAsync(app, time, 3);
        Assert.Equal(PressureLevel.Critical, app.Services.GetRequiredService<IMemoryPressure>().Current.Level);

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/catalog/1"));
        }

        var logged = Assert.Single(Events(logs, ShadowWouldShed));
        Assert.Contains("would shed 100%", logged.Message, StringComparison.Ordinal);
        var report = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(c => c.Name == "memory_contracts");
        var entry = report.Entries["memory_contracts"];
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Equal(0.0, entry.Data["shed_fraction"]);
        Assert.Equal(1.0, entry.Data["would_shed_fraction"]);
        Assert.Contains("enforcing would shed 100% of non-core requests and report Unhealthy", entry.Description, StringComparison.Ordinal);
    }

    private static Task TickAsync(WebApplication app, TimerCountingTimeProvider time, int count) =>
        GuardLoopDriver.TickAsync(app.Services.GetRequiredService<MemoryGuard>(), time, count);
}
