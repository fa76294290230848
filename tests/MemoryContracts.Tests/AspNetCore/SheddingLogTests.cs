using System.Collections.Concurrent;
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
        var logs = new EventCollector();
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

        Assert.Equal(1, logs.Count(300, LogLevel.Warning));
        Assert.Equal(1, logs.Count(301, LogLevel.Information));
        Assert.All(logs.Events.Where(e => e.Id == 303), e => Assert.Equal(LogLevel.Debug, e.Level));
    }

    private sealed class EventCollector : ILoggerProvider, ILogger
    {
        public ConcurrentQueue<(int Id, LogLevel Level)> Events { get; } = new();

        public int Count(int id, LogLevel level) => Events.Count(e => e.Id == id && e.Level == level);

        public ILogger CreateLogger(string categoryName) => categoryName.StartsWith("MemoryContracts", StringComparison.Ordinal) ? this : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Events.Enqueue((eventId.Id, logLevel));

        public void Dispose()
        {
        }
    }
}
