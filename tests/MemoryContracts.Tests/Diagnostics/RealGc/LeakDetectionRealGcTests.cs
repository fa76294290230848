using MemoryContracts.Tests.Examples;

namespace MemoryContracts.Tests.Diagnostics.RealGc;

/// <summary>
/// The leak detector on this process's real heap, fed by the real sampler after induced full
/// collections: alone, so no other test's allocations move the heap between collections.
/// </summary>
[Collection(RunsAlone.Name)]
public sealed class LeakDetectionRealGcTests : IDisposable
{
    private const int RoundBytes = 20 * 1024 * 1024;
    private const int ChunkBytes = 1024 * 1024;

    // A static root, as a real leak has.
    private static readonly List<byte[]> Leaked = [];

    public void Dispose()
    {
        Leaked.Clear();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    }

    private static void Grow()
    {
        for (var i = 0; i < RoundBytes / ChunkBytes; i++)
        {
            var chunk = new byte[ChunkBytes];
            Array.Fill(chunk, (byte)i);
            Leaked.Add(chunk);
        }
    }

    /// <summary>
    /// Collects until the heap stops shrinking: what earlier tests left (hosts shutting down,
    /// finalizable objects) must not be freed inside the window and look like a collected heap.
    /// </summary>
    private static void SettleHeap()
    {
        var previous = long.MaxValue;
        for (var i = 0; i < 10; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            var heap = GC.GetTotalMemory(forceFullCollection: false);
            if (previous - heap < 512 * 1024)
            {
                return;
            }

            previous = heap;
            Thread.Sleep(50);
        }
    }

    private static LeakVerdict CollectAndRead(RuntimeLeakSampler sampler, LeakDetector detector)
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        Assert.True(sampler.TryRead(out var reading), "a full collection just completed");
        return detector.Add(reading);
    }

    [Fact]
    public void Detector_RealLeakOverFiveFullGcs_Suspected()
    {
        SettleHeap();
        var sampler = new RuntimeLeakSampler();
        var detector = new LeakDetector(new LeakDetectionPolicy());
        var verdicts = new List<LeakVerdict> { CollectAndRead(sampler, detector) };

        for (var round = 0; round < 4; round++)
        {
            Grow();
            verdicts.Add(CollectAndRead(sampler, detector));
        }

        var last = verdicts[^1];
        Assert.All(verdicts.Take(4), v => Assert.False(v.Suspected));
        Assert.True(last.Suspected, "heap after each full GC: " + string.Join(", ", verdicts.Select(v => v.Heap.Last)));
        Assert.True(last.Grew.HasFlag(LeakSignals.Heap));
        Assert.Equal(LeakSignals.Heap, last.NewlyGrew & LeakSignals.Heap);
        Assert.Equal(5, last.FullGcs);
        // Other tests' garbage may still be collected meanwhile: the growth seen is at least the
        // detector's threshold and at most what was leaked, with room for the runtime's own.
        Assert.InRange(last.HeapGrowthBytes, 16L * 1024 * 1024, 4L * RoundBytes * 2);
    }

    [Fact]
    public void Detector_HeapGrowsThenCollected_NeverSuspected()
    {
        SettleHeap();
        var sampler = new RuntimeLeakSampler();
        var detector = new LeakDetector(new LeakDetectionPolicy());
        var verdicts = new List<LeakVerdict> { CollectAndRead(sampler, detector) };

        for (var round = 0; round < 3; round++)
        {
            Grow();
            verdicts.Add(CollectAndRead(sampler, detector));
        }

        Assert.True(verdicts[^1].Heap.Growth >= RoundBytes, "the heap grew while held: " + string.Join(", ", verdicts.Select(v => v.Heap.Last)));
        Leaked.Clear();
        for (var round = 0; round < 5; round++)
        {
            verdicts.Add(CollectAndRead(sampler, detector));
        }

        Assert.All(verdicts, v => Assert.False(v.Grew.HasFlag(LeakSignals.Heap)));
        Assert.True(verdicts[^1].Heap.Growth < 16 * 1024 * 1024);
    }

    [Fact]
    public void Detector_LeakedTimers_TimersSuspected()
    {
        var sampler = new RuntimeLeakSampler();
        var detector = new LeakDetector(new LeakDetectionPolicy());
        var timers = new List<Timer>();
        try
        {
            LeakVerdict verdict = CollectAndRead(sampler, detector);
            for (var round = 0; round < 4; round++)
            {
                // Many per round: timers that earlier tests' hosts drop meanwhile must not look like a fall.
                for (var i = 0; i < 2000; i++)
                {
                    timers.Add(new Timer(static _ => { }, null, TimeSpan.FromHours(1), Timeout.InfiniteTimeSpan));
                }

                verdict = CollectAndRead(sampler, detector);
            }

            Assert.True(verdict.Grew.HasFlag(LeakSignals.Timers), $"timers {verdict.Timers.First} → {verdict.Timers.Last}");
            Assert.True(verdict.Timers.Growth >= 7000, $"timers grew by {verdict.Timers.Growth}");
        }
        finally
        {
            foreach (var timer in timers)
            {
                timer.Dispose();
            }
        }
    }

    [Fact]
    public void Sampler_NoNewFullGc_FalseAndAllocatesNothing()
    {
        var sampler = new RuntimeLeakSampler();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true);
        Assert.True(sampler.TryRead(out var reading));
        Assert.True(reading.HeapBytes > 0);
        Assert.True(reading.ThreadPoolThreads >= 0);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var any = false;
        for (var i = 0; i < 100; i++)
        {
            any |= sampler.TryRead(out _);
        }

        Assert.False(any);
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void Sampler_EachNewFullGc_ReadOnceWithIncreasingIndex()
    {
        var sampler = new RuntimeLeakSampler();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true);
        Assert.True(sampler.TryRead(out var first));

        GC.Collect(2, GCCollectionMode.Forced, blocking: true);
        Assert.True(sampler.TryRead(out var second));
        Assert.False(sampler.TryRead(out _));

        Assert.True(second.GcIndex > first.GcIndex);
    }
}
