namespace MemoryContracts.Tests.Infrastructure;

/// <summary>
/// Drives a running guard's own loop on a <see cref="TimerCountingTimeProvider"/>: waits until the
/// loop's periodic timer exists, moves the clock one interval, and waits until the loop has ticked.
/// Every wait is bounded: a guard that does not tick fails the test instead of hanging it.
/// </summary>
internal static class GuardLoopDriver
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    /// <summary>Makes the guard's loop tick <paramref name="count"/> times, one interval apart.</summary>
    public static async Task TickAsync(MemoryGuard guard, TimerCountingTimeProvider time, int count = 1)
    {
        for (var i = 0; i < count; i++)
        {
            await WaitUntilAsync(() => time.ActiveTimers > 0, "the guard's timer was not created");
            var before = guard.CompletedTicks;
            time.Advance(Interval);
            await WaitUntilAsync(() => guard.CompletedTicks > before, "the guard did not tick");
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string failure)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"{failure} within {Bound.TotalSeconds} s");
            await Task.Delay(1);
        }
    }
}
