using Microsoft.Extensions.Time.Testing;

namespace MemoryContracts.Tests.Backoff;

/// <summary>The sliding window of adaptive throttling: 30 one-second buckets on the injected clock.</summary>
public sealed class AdaptiveThrottleWindowTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    private AdaptiveThrottleWindow NewWindow() => new(_time.TimestampFrequency, _time.GetTimestamp());

    [Fact]
    public void Record_WithinTheWindow_CountsRequestsAndAccepts()
    {
        var window = NewWindow();

        window.Record(_time.GetTimestamp(), accepted: true);
        window.Record(_time.GetTimestamp(), accepted: false);
        _time.Advance(TimeSpan.FromSeconds(29));
        window.Record(_time.GetTimestamp(), accepted: true);

        Assert.Equal((3L, 2L), window.Counts(_time.GetTimestamp()));
    }

    [Fact]
    public void Counts_TimePasses_OldBucketsDropOutOneSecondAtATime()
    {
        var window = NewWindow();
        for (var second = 0; second < 30; second++)
        {
            window.Record(_time.GetTimestamp(), accepted: second % 2 == 0);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal((29L, 14L), window.Counts(_time.GetTimestamp()));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal((28L, 14L), window.Counts(_time.GetTimestamp()));
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal((18L, 9L), window.Counts(_time.GetTimestamp()));
    }

    [Fact]
    public void IsIdle_NothingForTheWholeWindow_True()
    {
        var window = NewWindow();
        Assert.True(window.IsIdle(_time.GetTimestamp()));
        window.Record(_time.GetTimestamp(), accepted: true);
        Assert.False(window.IsIdle(_time.GetTimestamp()));

        _time.Advance(TimeSpan.FromHours(3));

        Assert.True(window.IsIdle(_time.GetTimestamp()));
        Assert.Equal((0L, 0L), window.Counts(_time.GetTimestamp()));
    }

    [Fact]
    public void Record_StaleTimestampFromAnotherThread_CountsInTheCurrentBucket()
    {
        var window = NewWindow();
        var stale = _time.GetTimestamp();
        _time.Advance(TimeSpan.FromSeconds(5));
        window.Record(_time.GetTimestamp(), accepted: true);

        window.Record(stale, accepted: false);

        // Both are in the bucket of second 5, counted through second 34.
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal((2L, 1L), window.Counts(_time.GetTimestamp()));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal((0L, 0L), window.Counts(_time.GetTimestamp()));
    }

    [Fact]
    public void Record_ManyThreads_NoCountLost()
    {
        var window = NewWindow();

        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                window.Record(_time.GetTimestamp(), accepted: (i & 1) == 0);
            }
        });

        Assert.Equal((80_000L, 40_000L), window.Counts(_time.GetTimestamp()));
    }
}
