namespace MemoryContracts.Tests.Guard;

public class HeapTrendTests
{
    private const long Frequency = TimeSpan.TicksPerSecond;

    [Fact]
    public void Project_FewerThanThreeReadings_ReturnsNull()
    {
        var trend = default(HeapTrend).Add(100, 0).Add(200, Frequency);
        Assert.Null(trend.Project(1, Frequency));
    }

    [Fact]
    public void Project_SteadyGrowth_ExtrapolatesRate()
    {
        var trend = default(HeapTrend).Add(100, 0).Add(200, Frequency).Add(300, 2 * Frequency);
        Assert.Equal(300 + (100 * 1.5), trend.Project(1.5, Frequency)!.Value, 6);
    }

    [Fact]
    public void Project_NotRisingOnBothSamples_ReturnsNull()
    {
        var trend = default(HeapTrend).Add(100, 0).Add(300, Frequency).Add(250, 2 * Frequency);
        Assert.Null(trend.Project(1, Frequency));
    }

    [Fact]
    public void Add_MoreThanThree_KeepsLastThree()
    {
        var trend = default(HeapTrend).Add(1, 1).Add(2, 2).Add(3, 3).Add(4, 4);
        Assert.Equal((3, 2L, 3L, 4L), (trend.Count, trend.Heap0, trend.Heap1, trend.Heap2));
    }
}
