namespace MemoryContracts.Tests.Container;

public class ContainerLimitTrackerTests
{
    private static ContainerMemoryReading Limit(long? bytes, bool known = true) => new(1, bytes, 1, 0, known);

    [Fact]
    public void TryObserve_FirstKnownLimit_IsABaselineNotAChange()
    {
        var tracker = new ContainerLimitTracker();

        Assert.False(tracker.TryObserve(Limit(512), out _));
        Assert.Equal(512, tracker.Limit);
    }

    [Fact]
    public void TryObserve_LimitResized_ReportsPreviousAndNew()
    {
        var tracker = new ContainerLimitTracker();
        tracker.TryObserve(Limit(512), out _);

        Assert.False(tracker.TryObserve(Limit(512), out _));
        Assert.True(tracker.TryObserve(Limit(1024), out var change));
        Assert.Equal(new ContainerLimitChange(512, 1024), change);
    }

    [Fact]
    public void TryObserve_LimitRemoved_IsAChangeToNone()
    {
        var tracker = new ContainerLimitTracker();
        tracker.TryObserve(Limit(512), out _);

        Assert.True(tracker.TryObserve(Limit(null), out var change));
        Assert.Equal(new ContainerLimitChange(512, null), change);
    }

    [Fact]
    public void TryObserve_UnknownLimitBetween_Ignored()
    {
        var tracker = new ContainerLimitTracker();
        tracker.TryObserve(Limit(512), out _);

        Assert.False(tracker.TryObserve(ContainerMemoryReading.Unavailable, out _));
        Assert.False(tracker.TryObserve(Limit(null, known: false), out _));
        Assert.False(tracker.TryObserve(Limit(512), out _));
        Assert.Equal(512, tracker.Limit);
    }

    [Theory]
    [InlineData(536870912L, "512 MB (536870912 bytes)")]
    [InlineData(null, "none")]
    public void Describe_Limit_ReadableText(long? bytes, string expected)
    {
        Assert.Equal(expected, ContainerLimitChange.Describe(bytes));
    }
}
