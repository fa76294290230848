using MemoryContracts.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts.Tests.Dashboard;

public sealed class DashboardHistoryTests
{
    private readonly MemoryPressureMonitor _monitor = new();
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Record_PublishedSnapshots_AreReadOldestFirstWithTheRecorderTime()
    {
        using var history = new DashboardHistory(_monitor, _time);
        var first = DashboardSnapshots.Of(PressureLevel.Normal, 40);
        var second = DashboardSnapshots.Of(PressureLevel.Elevated, 85);
        var start = _time.GetUtcNow();

        _monitor.Publish(first);
        _time.Advance(TimeSpan.FromSeconds(1));
        _monitor.Publish(second);

        var view = history.Read();
        Assert.Equal([first, second], view.Points.Select(p => p.Snapshot));
        Assert.Equal([start, start.AddSeconds(1)], view.Points.Select(p => p.At));
        Assert.Equal(start.AddSeconds(1), view.Now);
    }

    [Fact]
    public void Ctor_SnapshotPublishedBefore_IsTheFirstPoint()
    {
        var before = DashboardSnapshots.Of(PressureLevel.High, 92);
        _monitor.Publish(before);

        using var history = new DashboardHistory(_monitor, _time);

        Assert.Same(before, Assert.Single(history.Read().Points).Snapshot);
    }

    [Fact]
    public void Record_InitialOrRepeatedSnapshot_IsIgnored()
    {
        using var history = new DashboardHistory(_monitor, _time);
        var snapshot = DashboardSnapshots.Of(PressureLevel.Normal);

        history.Record(MemoryPressureSnapshot.Initial);
        _monitor.Publish(snapshot);
        _time.Advance(TimeSpan.FromSeconds(5));
        history.Record(snapshot);

        Assert.Single(history.Read().Points);
    }

    [Fact]
    public void Record_SnapshotsFasterThanTheSpacing_KeepOnePointPerSlotHoldingTheLatest()
    {
        using var history = new DashboardHistory(_monitor, _time);
        var start = _time.GetUtcNow();

        // 10 snapshots 50 ms apart: two 250 ms slots.
        var published = new List<MemoryPressureSnapshot>();
        for (var i = 0; i < 10; i++)
        {
            var snapshot = DashboardSnapshots.Of(PressureLevel.Normal, 40 + i);
            published.Add(snapshot);
            _monitor.Publish(snapshot);
            _time.Advance(TimeSpan.FromMilliseconds(50));
        }

        var points = history.Read().Points;
        Assert.Equal([start, start.AddMilliseconds(250)], points.Select(p => p.At));
        Assert.Equal([published[4], published[9]], points.Select(p => p.Snapshot));
    }

    [Fact]
    public void Record_OverallLevelChangeWithinASlot_StartsANewPoint()
    {
        using var history = new DashboardHistory(_monitor, _time);
        var normal = DashboardSnapshots.Of(PressureLevel.Normal, 70);
        var elevated = DashboardSnapshots.Of(PressureLevel.Elevated, 81);

        _monitor.Publish(normal);
        _time.Advance(TimeSpan.FromMilliseconds(10));
        _monitor.Publish(elevated);

        Assert.Equal([normal, elevated], history.Read().Points.Select(p => p.Snapshot));
    }

    [Fact]
    public void Record_FarMoreSnapshotsThanTheCap_NeverKeepsMoreThanMaxPoints()
    {
        using var history = new DashboardHistory(_monitor, _time);

        // Alternating levels 1 ms apart: each starts a point, 10,000 within the window.
        for (var i = 0; i < 10_000; i++)
        {
            _monitor.Publish(DashboardSnapshots.Of(i % 2 == 0 ? PressureLevel.Normal : PressureLevel.Elevated));
            _time.Advance(TimeSpan.FromMilliseconds(1));
        }

        var view = history.Read();
        Assert.Equal(DashboardHistory.MaxPoints, view.Points.Length);
        Assert.Equal(DashboardHistory.MaxLevelChanges, view.LevelChanges.Length);
        Assert.True(view.Points[^1].At > view.Points[0].At);
    }

    [Fact]
    public void Read_AfterTenMinutes_DropsOlderPointsAndStartsWithTheOneInForceAtTheWindowStart()
    {
        using var history = new DashboardHistory(_monitor, _time);
        var first = DashboardSnapshots.Of(PressureLevel.Elevated, 85);
        var second = DashboardSnapshots.Of(PressureLevel.Normal, 60);
        var third = DashboardSnapshots.Of(PressureLevel.Normal, 61);

        _monitor.Publish(first);
        _time.Advance(TimeSpan.FromMinutes(3));
        _monitor.Publish(second);
        _time.Advance(TimeSpan.FromMinutes(5));
        _monitor.Publish(third);
        _time.Advance(TimeSpan.FromMinutes(4)); // 12 min after the first: the window starts at minute 2.

        var view = history.Read();
        var windowStart = view.Now - DashboardHistory.Window;
        Assert.Equal([first, second, third], view.Points.Select(p => p.Snapshot));
        Assert.Equal(windowStart, view.Points[0].At);
        Assert.All(view.Points, p => Assert.True(p.At >= windowStart));
        // normal -> elevated at minute 0 is before the window; elevated -> normal at minute 3 is in it.
        var change = Assert.Single(view.LevelChanges);
        Assert.Equal((PressureLevel.Elevated, PressureLevel.Normal), (change.From, change.To));

        _time.Advance(TimeSpan.FromMinutes(10));
        view = history.Read();
        var only = Assert.Single(view.Points);
        Assert.Same(third, only.Snapshot);
        Assert.Equal(view.Now - DashboardHistory.Window, only.At);
        Assert.Empty(view.LevelChanges);
    }

    [Fact]
    public void Record_ModuleLevelChanges_AreListedWithTheModuleAndTheOverallChangeWithout()
    {
        using var history = new DashboardHistory(_monitor, _time);
        _monitor.Publish(DashboardSnapshots.Of(PressureLevel.Normal, 50, new ModulePressure("catalog", PressureLevel.Normal, 0.5, 0, 0)));
        _time.Advance(TimeSpan.FromSeconds(1));
        _monitor.Publish(DashboardSnapshots.Of(PressureLevel.High, 91, new ModulePressure("catalog", PressureLevel.High, 0.91, 0, 0)));

        var changes = history.Read().LevelChanges;

        Assert.Equal(
            [(null, PressureLevel.Normal, PressureLevel.High), ("catalog", PressureLevel.Normal, PressureLevel.High)],
            changes.Select(c => (c.Module, c.From, c.To)));
    }

    [Fact]
    public void Read_Since_ReturnsOnlyPointsStampedFromThenOn()
    {
        using var history = new DashboardHistory(_monitor, _time);
        _monitor.Publish(DashboardSnapshots.Of(PressureLevel.Normal, 40));
        _time.Advance(TimeSpan.FromSeconds(1));
        var since = _time.GetUtcNow();
        var second = DashboardSnapshots.Of(PressureLevel.Normal, 41);
        _monitor.Publish(second);
        _time.Advance(TimeSpan.FromSeconds(1));
        var third = DashboardSnapshots.Of(PressureLevel.Normal, 42);
        _monitor.Publish(third);

        Assert.Equal([second, third], history.Read(since).Points.Select(p => p.Snapshot));
    }

    [Fact]
    public void Dispose_StopsRecording()
    {
        var history = new DashboardHistory(_monitor, _time);
        history.Dispose();

        _monitor.Publish(DashboardSnapshots.Of(PressureLevel.Critical));

        Assert.Empty(history.Read().Points);
    }

    [Fact]
    public void For_SameServices_ReturnsOneRecorder()
    {
        var services = new ServiceCollection()
            .AddSingleton<IMemoryPressure>(_monitor)
            .AddSingleton<TimeProvider>(_time)
            .BuildServiceProvider();

        Assert.Same(DashboardHistory.For(services), DashboardHistory.For(services));
    }
}
