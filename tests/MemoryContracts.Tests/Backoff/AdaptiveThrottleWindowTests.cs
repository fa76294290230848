using CsCheck;
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

    [Fact]
    public async Task Counts_ReadWhileAnotherThreadRecords_BothCountsOfOneMoment()
    {
        // Every call is accepted, so a read that saw one count before a call and the other after it
        // would show more accepts than requests, or fewer.
        var window = NewWindow();
        var now = _time.GetTimestamp();
        var torn = 0;
        using var done = new ManualResetEventSlim();
        var writer = Task.Run(() =>
        {
            for (var i = 0; i < 200_000; i++)
            {
                window.Record(now, accepted: true);
            }

            done.Set();
        });

        while (!done.IsSet)
        {
            var (requests, accepts) = window.Counts(now);
            torn += requests == accepts ? 0 : 1;
        }

        await writer;
        Assert.Equal(0, torn);
        Assert.Equal((200_000L, 200_000L), window.Counts(now));
    }

    [Fact]
    public void Counts_LastAndFirstTimestampOfASecond_FallInTheirOwnBuckets()
    {
        // Frequency 10: one bucket is 10 timestamps; 19 is the last of bucket 1, 20 the first of bucket 2.
        var window = new AdaptiveThrottleWindow(timestampFrequency: 10, timestamp: 10);

        window.Record(19, accepted: true);
        window.Record(20, accepted: false);

        Assert.Equal((2L, 1L), window.Counts(20));
        Assert.Equal((2L, 1L), window.Counts(309));   // bucket 30: bucket 1 is still the oldest of the 30
        Assert.Equal((1L, 0L), window.Counts(310));   // bucket 31: bucket 1 dropped out, bucket 2 not yet
        Assert.Equal((0L, 0L), window.Counts(320));
    }

    [Fact]
    public void RecordAndCounts_GeneratedCallsAndClocks_AgreeWithTheWindowDividingEveryTimestamp()
    {
        // A clock of any frequency; calls mostly moving forward by less than a bucket, sometimes by
        // several, sometimes with a timestamp older than the last (a call that started earlier).
        var step = Gen.Frequency((8, Gen.Long[0, 3]), (3, Gen.Long[0, 40]), (1, Gen.Long[0, 400]), (1, Gen.Long[-30, 0]));
        var call = Gen.Select(step, Gen.Bool, Gen.Bool);
        Gen.Select(Gen.OneOf(Gen.Const(1L), Gen.Long[2, 50], Gen.Const(10_000_000L)), Gen.Long[0, 1_000_000], call.Array[1, 300]).Sample(sample =>
        {
            var (frequency, start, calls) = sample;
            var window = new AdaptiveThrottleWindow(frequency, start);
            var reference = new DividingWindow(frequency, start);
            var now = start;
            foreach (var (move, record, accepted) in calls)
            {
                // The step is in tenths of a bucket, so a slow clock and a fast one see the same shapes.
                var ticks = Math.Max(1, frequency / 10) * move;
                var at = Math.Max(0, now + ticks);
                now = Math.Max(now, at);
                if (record)
                {
                    window.Record(at, accepted);
                    reference.Record(at, accepted);
                }
                else
                {
                    Assert.Equal(reference.Counts(at), window.Counts(at));
                }
            }

            Assert.Equal(reference.Counts(now), window.Counts(now));
        }, iter: 5_000, seed: "0N0XIzNsQ0O2");
    }

    /// <summary>The window as it was before it kept the end of its current bucket: a division for every timestamp.</summary>
    private sealed class DividingWindow(long frequency, long start)
    {
        private readonly long _ticksPerBucket = Math.Max(1, frequency);
        private readonly long[] _requests = new long[AdaptiveThrottleWindow.BucketCount];
        private readonly long[] _accepts = new long[AdaptiveThrottleWindow.BucketCount];
        private long _bucket = start / Math.Max(1, frequency);

        public void Record(long timestamp, bool accepted)
        {
            var index = (int)(Advance(timestamp) % AdaptiveThrottleWindow.BucketCount);
            _requests[index]++;
            _accepts[index] += accepted ? 1 : 0;
        }

        public (long Requests, long Accepts) Counts(long timestamp)
        {
            Advance(timestamp);
            return (_requests.Sum(), _accepts.Sum());
        }

        private long Advance(long timestamp)
        {
            var bucket = timestamp / _ticksPerBucket;
            if (bucket > _bucket)
            {
                for (var step = 1L; step <= Math.Min(bucket - _bucket, AdaptiveThrottleWindow.BucketCount); step++)
                {
                    var index = (int)((_bucket + step) % AdaptiveThrottleWindow.BucketCount);
                    _requests[index] = 0;
                    _accepts[index] = 0;
                }

                _bucket = bucket;
            }

            return _bucket;
        }
    }
}
