namespace MemoryContracts.Tests.Diagnostics;

public class LeakDetectorTests
{
    private const long MB = 1024 * 1024;

    private static LeakVerdict Feed(LeakDetector detector, long firstIndex, long[] heapMb, int threads = 10, long timers = 5)
    {
        LeakVerdict verdict = default;
        for (var i = 0; i < heapMb.Length; i++)
        {
            verdict = detector.Add(new LeakReading(firstIndex + i, heapMb[i] * MB, threads, timers));
        }

        return verdict;
    }

    [Fact]
    public void Add_HeapGrowsOverFiveFullGcs_HeapSuspected()
    {
        var detector = new LeakDetector(new LeakDetectionPolicy());

        var verdict = Feed(detector, 1, [200, 220, 240, 260, 280]);

        Assert.True(verdict.Suspected);
        Assert.Equal(LeakSignals.Heap, verdict.Grew);
        Assert.Equal(80 * MB, verdict.HeapGrowthBytes);
        Assert.Equal(5, verdict.FullGcs);
        Assert.False(verdict.ThreadPoolThreads.Suspected);
        Assert.False(verdict.Timers.Suspected);
    }

    [Fact]
    public void Add_PolicyWindowAndGrowth_AreHonoured()
    {
        var detector = new LeakDetector(new LeakDetectionPolicy { FullGcs = 3, MinGrowthBytes = 100 * MB });

        Assert.False(Feed(detector, 1, [200, 240, 280]).Suspected);
        Assert.False(detector.Add(new LeakReading(4, 320 * MB, 10, 5)).Suspected);
        Assert.True(detector.Add(new LeakReading(5, 380 * MB, 10, 5)).Suspected);
    }

    [Fact]
    public void Add_NewlyGrew_OnlyOnTheFirstSuspectedVerdict()
    {
        var detector = new LeakDetector(new LeakDetectionPolicy());

        var first = Feed(detector, 1, [200, 220, 240, 260, 280]);
        var second = detector.Add(new LeakReading(6, 300 * MB, 10, 5));

        Assert.Equal(LeakSignals.Heap, first.NewlyGrew);
        Assert.True(second.Suspected);
        Assert.Equal(LeakSignals.None, second.NewlyGrew);
    }

    [Fact]
    public void Add_SameGcIndexTwice_CountedOnce()
    {
        var detector = new LeakDetector(new LeakDetectionPolicy());
        Feed(detector, 1, [200, 220, 240, 260]);

        var repeated = detector.Add(new LeakReading(4, 999 * MB, 10, 5));

        Assert.False(repeated.Suspected);
        Assert.Equal(4, repeated.Heap.Readings);
        Assert.Equal(260 * MB, repeated.Heap.Last);
    }

    [Fact]
    public void Add_ThreadPoolThreadsGrow_ThreadsSuspected()
    {
        var detector = new LeakDetector(new LeakDetectionPolicy());
        LeakVerdict verdict = default;
        for (var i = 0; i < 5; i++)
        {
            verdict = detector.Add(new LeakReading(i + 1, 200 * MB, 10 + (i * 10), 5));
        }

        Assert.Equal(LeakSignals.ThreadPoolThreads, verdict.Grew);
        Assert.Equal(40, verdict.ThreadPoolThreads.Growth);
    }

    [Fact]
    public void Add_TimersGrow_TimersSuspected()
    {
        var detector = new LeakDetector(new LeakDetectionPolicy());
        LeakVerdict verdict = default;
        for (var i = 0; i < 5; i++)
        {
            verdict = detector.Add(new LeakReading(i + 1, 200 * MB, 10, 100 + (i * 500)));
        }

        Assert.Equal(LeakSignals.Timers, verdict.Grew);
        Assert.Equal(2000, verdict.Timers.Growth);
    }

    [Fact]
    public void Add_HeapGrowsAndIsCollected_NotSuspected()
    {
        var detector = new LeakDetector(new LeakDetectionPolicy());

        var verdicts = new List<LeakVerdict>();
        long[] heap = [200, 230, 260, 290, 201, 205, 203, 204, 202];
        for (var i = 0; i < heap.Length; i++)
        {
            verdicts.Add(detector.Add(new LeakReading(i + 1, heap[i] * MB, 10, 5)));
        }

        Assert.All(verdicts, v => Assert.False(v.Suspected));
    }

    [Fact]
    public void Reset_AfterSuspicion_ClearsVerdict()
    {
        var detector = new LeakDetector(new LeakDetectionPolicy());
        Feed(detector, 1, [200, 220, 240, 260, 280]);

        detector.Reset();

        Assert.False(detector.Current.Suspected);
        Assert.False(detector.Add(new LeakReading(1, 300 * MB, 10, 5)).Suspected);
    }

    [Theory]
    [InlineData(1, 16)]
    [InlineData(5, 0)]
    public void Constructor_BadPolicy_ThrowsNamingTheSetting(int fullGcs, long minGrowthMb)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new LeakDetector(new LeakDetectionPolicy { FullGcs = fullGcs, MinGrowthBytes = minGrowthMb * MB }));

        Assert.Contains("leak_detection.", e.Message, StringComparison.Ordinal);
    }
}
