using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace MemoryContracts.Tests.LoadReporting;

public sealed class LoadWindowTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly ScriptedCpuClock _cpu = new(cores: 2);
    private readonly RequestTally _tally = new();
    private readonly LoadWindow _window;

    public LoadWindowTests()
    {
        _window = new LoadWindow(_tally, _cpu, _time);
    }

    private static MemoryPressureSnapshot Snapshot(int usagePercent) =>
        new(PressureLevel.Normal, usagePercent, 2048L * 1024 * 1024, DateTimeOffset.UnixEpoch, []);

    private void Requests(int count, int errors = 0)
    {
        for (var i = 0; i < count; i++)
        {
            _tally.CountRequest();
        }

        for (var i = 0; i < errors; i++)
        {
            _tally.CountShed();
        }
    }

    private bool Second()
    {
        _time.Advance(TimeSpan.FromSeconds(1));
        return _window.Observe();
    }

    [Fact]
    public void Current_BeforeAnyWindowClosed_IsZero()
    {
        Requests(50, errors: 5);

        Assert.False(_window.Observe());

        Assert.Equal(new LoadFigures(0, 0, 0, 0), _window.Current);
    }

    [Fact]
    public void Observe_OneSecondAfterTheBaseline_RatesOverThatSecond()
    {
        _window.Observe();
        Requests(240, errors: 3);
        _cpu.Use(TimeSpan.FromMilliseconds(500));

        Assert.True(Second());

        var figures = _window.Current;
        Assert.Equal(240, figures.RequestsPerSecond);
        Assert.Equal(3, figures.ErrorsPerSecond);
        Assert.Equal(0.25, figures.CpuUtilization, 10); // 0.5 s of CPU in 1 s on 2 cores
        Assert.Equal(1, figures.Sequence);
    }

    [Fact]
    public void Observe_LessThanASecondSinceTheLastCheckpoint_KeepsTheRates()
    {
        _window.Observe();
        Requests(10);
        Second();
        Requests(1000);

        _time.Advance(TimeSpan.FromMilliseconds(999));

        Assert.False(_window.Observe());
        Assert.Equal(10, _window.Current.RequestsPerSecond);
        Assert.Equal(1, _window.Current.Sequence);
    }

    [Fact]
    public void Observe_FewerThanFiveSecondsOfCheckpoints_RatesSinceTheFirst()
    {
        _window.Observe();
        Requests(3);
        Second();
        Second();

        Assert.Equal(1.5, _window.Current.RequestsPerSecond);
    }

    [Fact]
    public void Observe_SteadyTraffic_RatesOverTheLastFiveSeconds()
    {
        _window.Observe();
        int[] perSecond = [100, 200, 300, 400, 500, 600, 700];
        foreach (var count in perSecond)
        {
            Requests(count, errors: count / 100);
            _cpu.Use(TimeSpan.FromMilliseconds(count));
            Second();
        }

        // The last five seconds: 300 + 400 + 500 + 600 + 700 requests, 3 + … + 7 errors, 2.5 s of CPU.
        var figures = _window.Current;
        Assert.Equal(500, figures.RequestsPerSecond);
        Assert.Equal(5, figures.ErrorsPerSecond);
        Assert.Equal(2.5 / (5 * 2), figures.CpuUtilization, 10);
        Assert.Equal(7, figures.Sequence);
    }

    [Fact]
    public void Observe_TrafficStops_RatesFallToZeroWithinTheWindow()
    {
        _window.Observe();
        Requests(1000, errors: 100);
        Second();

        var seen = new List<double>();
        for (var i = 0; i < 6; i++)
        {
            Second();
            seen.Add(_window.Current.RequestsPerSecond);
        }

        Assert.Equal([500, 1000 / 3.0, 250, 200, 0, 0], seen);
        Assert.Equal(0, _window.Current.ErrorsPerSecond);
    }

    [Fact]
    public void Observe_GuardTicksSlowerThanTheWindow_RatesOverTheTimeBetweenTicks()
    {
        _window.Observe();
        Requests(90);
        _time.Advance(TimeSpan.FromSeconds(9));

        Assert.True(_window.Observe());
        Assert.Equal(10, _window.Current.RequestsPerSecond);
    }

    [Fact]
    public void Observe_NoCores_TreatedAsOne()
    {
        _cpu.AvailableCores = 0;
        _window.Observe();
        _cpu.Use(TimeSpan.FromMilliseconds(300));

        Second();

        Assert.Equal(0.3, _window.Current.CpuUtilization, 10);
    }

    [Fact]
    public void Observe_SteadyState_AllocatesNothing()
    {
        _window.Observe();
        Second();

        long allocated = 0;
        for (var i = 0; i < 20; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(500));
            Requests(10, errors: 1);
            var before = GC.GetAllocatedBytesForCurrentThread();
            _window.Observe();
            _ = _window.Current;
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.Equal(0, allocated);
        Assert.Equal(11, _window.Current.Sequence);
    }

    [Fact]
    public void OrcaHeaderValue_SameWindowAndSnapshot_IsTheSameStringWithoutAllocating()
    {
        var snapshot = Snapshot(68);
        _window.Observe();
        Requests(5);
        Second();
        var first = _window.OrcaHeaderValue(snapshot);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var again = _window.OrcaHeaderValue(snapshot);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Same(first, again);
        Assert.Equal(0, allocated);
        Assert.Equal(new OrcaReport(0.68, 0, 0.68, 5, 0), OrcaReport.Parse(first));
    }

    [Fact]
    public void OrcaHeaderValue_NewWindowOrNewSnapshot_FormatsAgain()
    {
        var calm = Snapshot(30);
        _window.Observe();
        var before = _window.OrcaHeaderValue(calm);

        Requests(20);
        Second();
        var nextWindow = _window.OrcaHeaderValue(calm);
        var pressured = _window.OrcaHeaderValue(Snapshot(90));

        Assert.Equal(0, OrcaReport.Parse(before).RpsFractional);
        Assert.Equal(20, OrcaReport.Parse(nextWindow).RpsFractional);
        Assert.Equal(0.3, OrcaReport.Parse(nextWindow).MemUtilization);
        Assert.Equal(0.9, OrcaReport.Parse(pressured).MemUtilization);
        Assert.Equal(20, OrcaReport.Parse(pressured).RpsFractional);
    }

    [Fact]
    public async Task Current_ReadWhileTheGuardPublishes_NeverMixesTwoWindows()
    {
        // Each window's rates are n requests, n errors and n × 0.1 s of CPU (so cpu = n / 20 on 2 cores):
        // a reader that saw two windows' writes at once would find them disagree.
        using var stop = new CancellationTokenSource();
        var reading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reader = Task.Run(() =>
        {
            var reads = 0;
            while (!stop.IsCancellationRequested)
            {
                var figures = _window.Current;
                Assert.Equal(figures.RequestsPerSecond, figures.ErrorsPerSecond);
                Assert.Equal(figures.RequestsPerSecond / 20, figures.CpuUtilization, 9);
                reads++;
                reading.TrySetResult();
            }

            return reads;
        });
        await reading.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var baseline = 0;
        _window.Observe();
        for (var n = 1; n <= 2000; n++)
        {
            // Keep one second per window so the rates are exactly the last second's.
            _time.Advance(TimeSpan.FromSeconds(5));
            baseline = n;
            Requests(n * 5, errors: n * 5);
            _cpu.Use(TimeSpan.FromMilliseconds(n * 500));
            _window.Observe();
        }

        await stop.CancelAsync();
        Assert.True(await reader.WaitAsync(TimeSpan.FromSeconds(30)) > 0);
        Assert.Equal(baseline, _window.Current.RequestsPerSecond);
    }
}
