namespace MemoryContracts.Tests.Diagnostics;

public class GrowthDetectorTests
{
    private const long MB = 1024 * 1024;

    private static GrowthVerdict Feed(GrowthDetector detector, params long[] values)
    {
        GrowthVerdict verdict = default;
        foreach (var value in values)
        {
            verdict = detector.Add(value);
        }

        return verdict;
    }

    [Fact]
    public void Add_SteadyGrowthOverFullWindow_Suspected()
    {
        var detector = new GrowthDetector(5, 16 * MB);

        var verdict = Feed(detector, 100 * MB, 110 * MB, 120 * MB, 130 * MB, 140 * MB);

        Assert.True(verdict.Suspected);
        Assert.Equal(40 * MB, verdict.Growth);
        Assert.Equal(5, verdict.Readings);
        Assert.Equal(4, verdict.GrowingSteps);
        Assert.Equal(100 * MB, verdict.First);
        Assert.Equal(140 * MB, verdict.Last);
    }

    [Fact]
    public void Add_GrowthBeforeWindowFull_NotSuspected()
    {
        var detector = new GrowthDetector(5, 16 * MB);

        var verdict = Feed(detector, 100 * MB, 200 * MB, 300 * MB, 400 * MB);

        Assert.False(verdict.Suspected);
        Assert.Equal(4, verdict.Readings);
        Assert.Equal(300 * MB, verdict.Growth);
    }

    [Fact]
    public void Add_GrowthBelowMinimum_NotSuspected()
    {
        var detector = new GrowthDetector(5, 16 * MB);

        var verdict = Feed(detector, 100 * MB, 103 * MB, 106 * MB, 109 * MB, 115 * MB);

        Assert.False(verdict.Suspected);
        Assert.Equal(15 * MB, verdict.Growth);
    }

    [Fact]
    public void Add_GrowthExactlyMinimum_Suspected()
    {
        var detector = new GrowthDetector(5, 16 * MB);

        var verdict = Feed(detector, 100 * MB, 104 * MB, 108 * MB, 112 * MB, 116 * MB);

        Assert.True(verdict.Suspected);
    }

    [Fact]
    public void Add_GrowsThenCollected_NotSuspected()
    {
        var detector = new GrowthDetector(5, 16 * MB);

        var verdict = Feed(detector, 100 * MB, 150 * MB, 200 * MB, 250 * MB, 101 * MB);

        Assert.False(verdict.Suspected);
        Assert.Equal(MB, verdict.Growth);
    }

    [Fact]
    public void Add_DipBelowFirstInsideWindow_NotSuspected()
    {
        var detector = new GrowthDetector(5, 16 * MB);

        // Fell back below where the window started: the growth was collected once.
        var verdict = Feed(detector, 100 * MB, 90 * MB, 140 * MB, 160 * MB, 180 * MB);

        Assert.False(verdict.Suspected);
        Assert.Equal(80 * MB, verdict.Growth);
    }

    [Fact]
    public void Add_OneSpikeAndPlateau_NotSuspected()
    {
        var detector = new GrowthDetector(5, 16 * MB);

        // Up once, then flat or down: one step of four grows, not most.
        var verdict = Feed(detector, 100 * MB, 180 * MB, 180 * MB, 170 * MB, 170 * MB);

        Assert.False(verdict.Suspected);
        Assert.Equal(1, verdict.GrowingSteps);
    }

    [Fact]
    public void Add_SawTooth_NotSuspected()
    {
        var detector = new GrowthDetector(5, 16 * MB);

        var verdict = Feed(detector, 100 * MB, 150 * MB, 110 * MB, 160 * MB, 120 * MB);

        Assert.False(verdict.Suspected);
        Assert.Equal(2, verdict.GrowingSteps);
    }

    [Fact]
    public void Add_GrowthWithOneSmallDip_Suspected()
    {
        var detector = new GrowthDetector(5, 16 * MB);

        var verdict = Feed(detector, 100 * MB, 120 * MB, 140 * MB, 135 * MB, 160 * MB);

        Assert.True(verdict.Suspected);
        Assert.Equal(3, verdict.GrowingSteps);
    }

    [Fact]
    public void Add_WindowSlidesPastCollection_SuspectedAgainOnlyWhenGrowthResumes()
    {
        var detector = new GrowthDetector(3, 16 * MB);

        Assert.True(Feed(detector, 100 * MB, 120 * MB, 140 * MB).Suspected);
        Assert.False(detector.Add(100 * MB).Suspected);
        Assert.False(detector.Add(110 * MB).Suspected);
        Assert.True(detector.Add(130 * MB).Suspected);
    }

    [Fact]
    public void Add_ManyReadings_KeepsOnlyWindow()
    {
        var detector = new GrowthDetector(3, 1);

        var verdict = Feed(detector, 1, 2, 3, 4, 5, 6, 7);

        Assert.Equal(3, verdict.Readings);
        Assert.Equal(5, verdict.First);
        Assert.Equal(7, verdict.Last);
        Assert.Equal(3, detector.Count);
    }

    [Fact]
    public void Reset_AfterReadings_StartsOver()
    {
        var detector = new GrowthDetector(3, 1);
        Feed(detector, 1, 2, 3);

        detector.Reset();

        Assert.Equal(0, detector.Count);
        Assert.Equal(default, detector.Evaluate());
        Assert.False(detector.Add(10).Suspected);
    }

    [Fact]
    public void Add_SteadyState_AllocatesNothing()
    {
        var detector = new GrowthDetector(5, 16 * MB);
        Feed(detector, 1, 2, 3, 4, 5);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            detector.Add(i * MB);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(0, 1)]
    [InlineData(5, 0)]
    public void Constructor_BadWindowOrGrowth_Throws(int window, long minGrowth)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new GrowthDetector(window, minGrowth));
    }
}
