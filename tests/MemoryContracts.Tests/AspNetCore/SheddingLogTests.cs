using Microsoft.AspNetCore.Builder;
using MemoryContracts.Tests.Infrastructure;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MemoryContracts.Tests.AspNetCore;

public sealed class SheddingLogTests
{
    [Fact]
    public async Task InvokeAsync_SheddingStartsAndStops_LogsOnceEachWithStableEventIds()
    {
        var logs = new FakeLoggerProvider();
        await using var app = await TestApp.StartAsync(
            TestApp.Contract(),
            a => a.MapGet("/catalog/{id}", TestApp.Module),
            services => services.AddSingleton<ILoggerProvider>(logs));
        var client = app.GetTestClient();

        app.Services.Publish(PressureLevel.Critical, shedFraction: 1);
        for (var i = 0; i < 3; i++)
        {
            using var shed = await client.GetAsync(new Uri("/catalog/1", UriKind.Relative));
        }

        app.Services.Publish(PressureLevel.Normal);
        using (await client.GetAsync(new Uri("/catalog/1", UriKind.Relative)))
        {
        }

        Assert.Equal(LogLevel.Warning, Assert.Single(Ours(logs, 300)).Level);
        Assert.Equal(LogLevel.Information, Assert.Single(Ours(logs, 301)).Level);
        Assert.All(Ours(logs, 303), e => Assert.Equal(LogLevel.Debug, e.Level));
    }

    [Fact]
    public async Task Observe_ShedFractionChangesByATenthOrMore_Logs302OnlyThen()
    {
        var logs = new FakeLoggerProvider();
        await using var app = await TestApp.StartAsync(
            TestApp.Contract(),
            a => a.MapGet("/catalog/{id}", TestApp.Module),
            services => services.AddSingleton<ILoggerProvider>(logs));

        app.Services.Publish(PressureLevel.High, usagePercent: 91, shedFraction: 0.2);
        app.Services.Publish(PressureLevel.High, usagePercent: 92, shedFraction: 0.25);   // less than a tenth: quiet
        app.Services.Publish(PressureLevel.High, usagePercent: 93, shedFraction: 0.6);    // a tenth or more: 302
        app.Services.Publish(PressureLevel.Normal);

        Assert.Single(Ours(logs, 300));
        var changed = Assert.Single(Ours(logs, 302));
        Assert.Equal(LogLevel.Information, changed.Level);
        Assert.Contains("60%", changed.Message, StringComparison.Ordinal);
        Assert.Single(Ours(logs, 301));
    }

    [Fact]
    public async Task Observe_ReloadedStrictContractLeavesAnEndpointUnclaimed_Logs305AndKeepsServing()
    {
        var logs = new FakeLoggerProvider();
        await using var app = await TestApp.StartAsync(
            TestApp.Contract(),
            a => a.MapGet("/unclaimed", () => "still served"),
            services => services.AddSingleton<ILoggerProvider>(logs));
        var monitor = app.Services.GetRequiredService<MemoryPressureMonitor>();

        var strict = TestApp.Contract(strict: true);
        monitor.Publish(new MemoryPressureSnapshot(PressureLevel.Normal, 10, 1L << 30, DateTimeOffset.UtcNow, [])
        {
            Plan = new ContractPlan(strict),
        });

        var error = Assert.Single(Ours(logs, 305));
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.Contains("strict_endpoints is true but 1 endpoint(s) belong to no module", error.Message, StringComparison.Ordinal);
        Assert.Contains("/unclaimed", error.Message, StringComparison.Ordinal);
        using var response = await app.GetTestClient().GetAsync(new Uri("/unclaimed", UriKind.Relative));
        Assert.Equal("still served", await response.Content.ReadAsStringAsync());
    }

    private static IEnumerable<FakeLogRecord> Ours(FakeLoggerProvider logs, int eventId) =>
        logs.WithEvent(eventId).Where(e => e.Category?.StartsWith("MemoryContracts", StringComparison.Ordinal) == true);
}
