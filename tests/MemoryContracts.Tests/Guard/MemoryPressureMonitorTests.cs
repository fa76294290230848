namespace MemoryContracts.Tests.Guard;

public sealed class MemoryPressureMonitorTests
{
    private static MemoryPressureSnapshot Snapshot(PressureLevel level) => new(level, 10, 100, DateTimeOffset.UnixEpoch, []);

    [Fact]
    public void OnChange_Publish_CallsListenerWithTheNewSnapshot()
    {
        var monitor = new MemoryPressureMonitor();
        var seen = new List<MemoryPressureSnapshot>();
        using var registration = monitor.OnChange(seen.Add);

        var snapshot = Snapshot(PressureLevel.High);
        monitor.Publish(snapshot);

        Assert.Same(snapshot, Assert.Single(seen));
        Assert.Same(snapshot, monitor.Current);
    }

    [Fact]
    public void OnChange_Disposed_ListenerNoLongerCalled()
    {
        var monitor = new MemoryPressureMonitor();
        var calls = 0;
        var registration = monitor.OnChange(_ => calls++);
        monitor.Publish(Snapshot(PressureLevel.Elevated));

        registration.Dispose();
        registration.Dispose();
        monitor.Publish(Snapshot(PressureLevel.High));

        Assert.Equal(1, calls);
    }

    [Fact]
    public void OnChange_ListenerThrows_OthersStillCalled()
    {
        var monitor = new MemoryPressureMonitor();
        var calls = 0;
        using var first = monitor.OnChange(_ => throw new InvalidOperationException("boom"));
        using var second = monitor.OnChange(_ => calls++);

        monitor.Publish(Snapshot(PressureLevel.Critical));

        Assert.Equal(1, calls);
    }

    [Fact]
    public void OnChange_ListenerRemovesItselfWhileNotified_OthersStillCalled()
    {
        var monitor = new MemoryPressureMonitor();
        IDisposable? self = null;
        var calls = 0;
        self = monitor.OnChange(_ => self!.Dispose());
        using var other = monitor.OnChange(_ => calls++);

        monitor.Publish(Snapshot(PressureLevel.High));
        monitor.Publish(Snapshot(PressureLevel.Normal));

        Assert.Equal(2, calls);
    }

    [Fact]
    public void OnChange_NullListener_Throws()
    {
        var monitor = new MemoryPressureMonitor();
        Assert.Throws<ArgumentNullException>(() => monitor.OnChange(null!));
    }
}
