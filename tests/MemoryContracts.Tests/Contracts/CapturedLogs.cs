using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MemoryContracts.Tests.Contracts;

/// <summary>A logger provider that keeps every record, and lets a test wait for one by event id.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<(EventId Id, LogLevel Level, string Message)> _records = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<string>> _waiters = new();

    public IReadOnlyCollection<(EventId Id, LogLevel Level, string Message)> Records => _records;

    public Task<string> Next(int eventId) =>
        _waiters.GetOrAdd(eventId, _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private void Add(EventId id, LogLevel level, string message)
    {
        _records.Enqueue((id, level, message));
        if (_waiters.TryRemove(id.Id, out var waiter))
        {
            waiter.TrySetResult(message);
        }
    }

    private sealed class Logger(CapturedLogs owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add(eventId, logLevel, formatter(state, exception));
    }
}
