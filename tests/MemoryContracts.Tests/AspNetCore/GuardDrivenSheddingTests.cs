using System.Net;
using MemoryContracts.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts.Tests.AspNetCore;

/// <summary>
/// End to end through the real guard: the scripted sampler sets the heap, the fake clock ticks the
/// guard, and the app answers (no snapshot published by hand).
/// </summary>
public class GuardDrivenSheddingTests
{
    private static MemoryContract Contract() => new()
    {
        Modules =
        [
            new ModuleContract { Name = "catalog", MaxHeapBytes = 600 * TestContracts.MB, Routes = ["/catalog"] },
            new ModuleContract { Name = "checkout", MaxHeapBytes = 400 * TestContracts.MB, Core = true, Routes = ["/checkout"] },
        ],
    };

    private static async Task<(WebApplication App, TimerCountingTimeProvider Time, ScriptedSampler Sampler)> StartAsync()
    {
        var time = new TimerCountingTimeProvider();
        var sampler = new ScriptedSampler(heapMb: 100);
        var app = await TestApp.StartAsync(Contract(), a =>
        {
            a.MapGet("/catalog/{id}", (int id) => $"product {id}");
            a.MapPost("/checkout", () => "paid");
            a.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready") });
            a.MapHealthChecks("/health/live", new() { Predicate = c => c.Tags.Contains("live") });
        }, time: time, sampler: sampler);
        return (app, time, sampler);
    }

    private static Task TickAsync(WebApplication app, TimerCountingTimeProvider time, int count = 1) =>
        GuardLoopDriver.TickAsync(app.Services.GetRequiredService<MemoryGuard>(), time, count);

    [Fact]
    public async Task Guard_HeapClimbsToCritical_NonCoreShedCoreServedThenRecovers()
    {
        var (app, time, sampler) = await StartAsync();
        await using var _ = app;
        var client = app.GetTestClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/catalog/1", UriKind.Relative))).StatusCode);

        sampler.SetHeapMb(980);
        await TickAsync(app, time, 3);

        using var shed = await client.GetAsync(new Uri("/catalog/1", UriKind.Relative));
        Assert.Equal(HttpStatusCode.TooManyRequests, shed.StatusCode);
        Assert.Equal("application/problem+json", shed.Content.Headers.ContentType?.MediaType);
        Assert.Contains("catalog", await shed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(new Uri("/checkout", UriKind.Relative), null)).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode);

        sampler.SetHeapMb(100);
        await TickAsync(app, time, 15);

        Assert.Equal(PressureLevel.Normal, app.Services.GetRequiredService<IMemoryPressure>().Current.Level);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/catalog/1", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Guard_BetweenHighAndCritical_ShedsScaledFraction()
    {
        var (app, time, sampler) = await StartAsync();
        await using var _ = app;
        var client = app.GetTestClient();

        // 92.5% of the 1000 MB budget: halfway between high (0.90) and critical (0.95).
        sampler.SetHeapMb(925);
        await TickAsync(app, time, 2);
        Assert.Equal(PressureLevel.High, app.Services.GetRequiredService<IMemoryPressure>().Current.Level);

        var shed = 0;
        for (var i = 0; i < 1000; i++)
        {
            using var response = await client.GetAsync(new Uri("/catalog/1", UriKind.Relative));
            shed += response.StatusCode == HttpStatusCode.TooManyRequests ? 1 : 0;
        }

        Assert.InRange(shed, 400, 600);
    }

    [Fact]
    public async Task Guard_SamplerStalls_LivenessFailsAfterTenIntervals()
    {
        var (app, time, sampler) = await StartAsync();
        await using var _ = app;
        var client = app.GetTestClient();

        sampler.Throw = new InvalidOperationException("sampler stuck");
        await TickAsync(app, time, 9);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode);

        await TickAsync(app, time, 2);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode);

        sampler.Throw = null;
        await TickAsync(app, time);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode);
    }
}
