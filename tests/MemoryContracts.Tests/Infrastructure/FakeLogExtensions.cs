using Microsoft.Extensions.Logging.Testing;

namespace MemoryContracts.Tests.Infrastructure;

/// <summary>Queries over Microsoft's <see cref="FakeLogCollector"/> that the tests share.</summary>
internal static class FakeLogExtensions
{
    /// <summary>Gets the records collected so far with event id <paramref name="eventId"/>.</summary>
    public static IReadOnlyList<FakeLogRecord> WithEvent(this FakeLoggerProvider logs, int eventId) =>
        logs.Collector.WithEvent(eventId);

    /// <summary>Gets the records collected so far with event id <paramref name="eventId"/>.</summary>
    public static IReadOnlyList<FakeLogRecord> WithEvent(this FakeLogCollector logs, int eventId) =>
        [.. logs.GetSnapshot().Where(r => r.Id.Id == eventId)];

    /// <summary>
    /// Waits for the first record with event id <paramref name="eventId"/> logged after this call and
    /// returns its message; records logged before the call do not count.
    /// </summary>
    public static Task<string> NextAsync(this FakeLogCollector logs, int eventId, CancellationToken cancellationToken = default)
    {
        var seen = logs.Count;
        return WaitAsync(logs, seen, eventId, cancellationToken);

        static async Task<string> WaitAsync(FakeLogCollector logs, int seen, int eventId, CancellationToken cancellationToken)
        {
            var index = 0;
            await foreach (var record in logs.GetLogsAsync(cancellationToken))
            {
                if (index++ >= seen && record.Id.Id == eventId)
                {
                    return record.Message;
                }
            }

            throw new InvalidOperationException($"the log ended before event {eventId}");
        }
    }
}
