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

    private static IEnumerable<FakeLogRecord> Ours(FakeLoggerProvider logs, int eventId) =>
        logs.WithEvent(eventId).Where(e => e.Category?.StartsWith("MemoryContracts", StringComparison.Ordinal) == true);
}
