namespace MemoryContracts.Tests.Sampling;

public class GcMemorySamplerTests
{
    [Fact]
    public void Sample_Fresh_ReportsHeapCapacityAndCommitted()
    {
        var sample = new GcMemorySampler().Sample();

        Assert.True(sample.HeapBytes > 0);
        Assert.True(sample.CapacityBytes > 0);
        Assert.Equal(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, sample.CapacityBytes);
        Assert.True(sample.TotalAllocatedBytes > 0);
        Assert.Equal(TimeSpan.Zero, sample.MaxPauseSinceLastSample);
    }

    [Fact]
    public void Sample_AfterAllocating_TotalAllocatedGrows()
    {
        var sampler = new GcMemorySampler();
        var first = sampler.Sample();
        var keep = new byte[4 * 1024 * 1024];

        var second = sampler.Sample();

        Assert.True(second.TotalAllocatedBytes - first.TotalAllocatedBytes >= keep.Length);
        GC.KeepAlive(keep);
    }

    [Fact]
    public void Sample_AfterBlockingCollection_ReportsItsPause()
    {
        var sampler = new GcMemorySampler();
        sampler.Sample();
        var garbage = new List<byte[]>();
        for (var i = 0; i < 64; i++)
        {
            garbage.Add(new byte[64 * 1024]);
        }

        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var sample = sampler.Sample();

        Assert.True(sample.MaxPauseSinceLastSample > TimeSpan.Zero);
        Assert.True(sample.TotalPauseDuration >= sample.MaxPauseSinceLastSample);
        GC.KeepAlive(garbage);
    }
}
