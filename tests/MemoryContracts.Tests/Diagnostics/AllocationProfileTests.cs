namespace MemoryContracts.Tests.Diagnostics;

public class AllocationProfileTests
{
    [Fact]
    public void EstimateBytes_SmallObject_StandsForAboutOneSamplingInterval()
    {
        var estimate = AllocationUpscaling.EstimateBytes(24);

        // size / (1 − q^size) ≈ 1/p + (size − 1)/2 for a small object.
        Assert.InRange(estimate, 102_400, 102_420);
    }

    [Fact]
    public void EstimateBytes_HugeObject_StandsForItsOwnSize()
    {
        var size = 100L * 1024 * 1024;

        Assert.InRange(AllocationUpscaling.EstimateBytes(size), size, size * 1.0001);
    }

    [Fact]
    public void EstimateBytes_MatchesDocumentedFormula()
    {
        var q = 1 - (1 / 102_400.0);
        const long size = 80_000;

        Assert.Equal(size / (1 - Math.Pow(q, size)), AllocationUpscaling.EstimateBytes(size), 6);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void EstimateBytes_NotPositive_IsZero(long size)
    {
        Assert.Equal(0, AllocationUpscaling.EstimateBytes(size));
    }

    [Fact]
    public void Top_ByEstimatedBytes_LargestFirstWithShares()
    {
        var profile = new AllocationProfile();
        for (var i = 0; i < 3; i++)
        {
            profile.Record("Big", 1_000_000);
        }

        profile.Record("Small", 32);

        var top = profile.Top(10);

        Assert.Equal(["Big", "Small"], top.Select(t => t.TypeName));
        Assert.Equal(3, top[0].Samples);
        // A 1 MB object is sampled with probability 1 − e^(−9.77): each sample stands for ~1,000,057 bytes.
        Assert.InRange(top[0].EstimatedBytes, 3_000_100, 3_000_250);
        Assert.Equal(1.0, top.Sum(t => t.Share), 6);
        Assert.Equal(4, profile.Samples);
        Assert.InRange(profile.EstimatedBytes - top.Sum(t => t.EstimatedBytes), 0, 2);
    }

    [Fact]
    public void Top_Count_Truncates()
    {
        var profile = new AllocationProfile();
        profile.Record("A", 300);
        profile.Record("B", 200);
        profile.Record("C", 100);

        Assert.Equal(["A", "B"], profile.Top(2).Select(t => t.TypeName));
        Assert.Empty(profile.Top(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => profile.Top(-1));
    }

    [Fact]
    public void Record_PastMaxTypes_GoesToOtherTypes()
    {
        var profile = new AllocationProfile(maxTypes: 2);
        profile.Record("A", 100);
        profile.Record("B", 100);
        profile.Record("C", 100);
        profile.Record("D", 100);
        profile.Record("A", 100);

        var top = profile.Top(10);

        Assert.Equal(2, profile.DistinctTypes);
        var other = Assert.Single(top, t => t.TypeName == AllocationProfile.OtherTypes);
        Assert.Equal(2, other.Samples);
        Assert.Equal(2, top.Single(t => t.TypeName == "A").Samples);
        Assert.Equal(5, profile.Samples);
    }

    [Fact]
    public void Record_MissingNameOrBadSize_UnknownOrIgnored()
    {
        var profile = new AllocationProfile();
        profile.Record(null, 100);
        profile.Record("", 100);
        profile.Record("X", 0);

        var only = Assert.Single(profile.Top(10));
        Assert.Equal(AllocationProfile.UnknownType, only.TypeName);
        Assert.Equal(2, only.Samples);
    }

    [Fact]
    public void TopAllocator_EmptyThenTheLargest()
    {
        var profile = new AllocationProfile();
        Assert.Null(profile.TopAllocator());

        profile.Record("Small", 10);
        profile.Record("Big", 500_000);

        Assert.Equal("Big", profile.TopAllocator()?.TypeName);
    }

    [Fact]
    public void Clear_AfterSamples_Empty()
    {
        var profile = new AllocationProfile(maxTypes: 1);
        profile.Record("A", 100);
        profile.Record("B", 100);

        profile.Clear();

        Assert.Empty(profile.Top(10));
        Assert.Equal(0, profile.Samples);
        Assert.Equal(0, profile.EstimatedBytes);
    }

    [Fact]
    public void Record_FromManyThreads_CountsEverySample()
    {
        var profile = new AllocationProfile(maxTypes: 8);
        const int PerThread = 20_000;

        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, t =>
        {
            var name = "T" + (t % 4);
            for (var i = 0; i < PerThread; i++)
            {
                profile.Record(name, 64);
            }
        });

        Assert.Equal(8L * PerThread, profile.Samples);
        Assert.All(profile.Top(10), t => Assert.Equal(2L * PerThread, t.Samples));
    }

    [Fact]
    public void Record_KnownType_AllocatesNothing()
    {
        var profile = new AllocationProfile();
        profile.Record("Known", 64);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            profile.Record("Known", 64);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }
}
