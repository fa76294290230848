using System.Diagnostics.Metrics;
using MemoryContracts.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace MemoryContracts.Tests.Guard;

public sealed class ResponderDispatcherTests : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly TimerCountingTimeProvider _time = new();
    private readonly FakeLoggerProvider _logs = new();
    private readonly ILoggerFactory _loggerFactory;
    private readonly ServiceMeterFactory _meters = new();
    private readonly MemoryContractsMetrics _metrics;

    public ResponderDispatcherTests()
    {
        _loggerFactory = LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug));
        _metrics = new MemoryContractsMetrics(_meters, new MemoryPressureMonitor());
    }

    public async ValueTask DisposeAsync()
    {
        _loggerFactory.Dispose();
        _meters.Dispose();
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Dispatch_ResponderNeverCompletes_ReturnsAtOnceAndTimesOutAtDeadline()
    {
        var hanging = new GatedResponder("hang");
        await using var dispatcher = Create(hanging);

        dispatcher.Dispatch(Change(PressureLevel.Elevated), ["hang"], Deadline);

        await hanging.Started.WaitAsync(Bound);
        await WaitUntilAsync(() => _time.ActiveTimers >= 2);
        _time.Advance(Deadline);
        await WaitUntilAsync(() => _logs.WithEvent(113).Count == 1);
        Assert.False(dispatcher.IsIdle);
        Assert.Contains("'hang'", _logs.WithEvent(113)[0].Message, StringComparison.Ordinal);
        Assert.True(hanging.Token.IsCancellationRequested);
        hanging.Release();
    }

    [Fact]
    public async Task Dispatch_WhileBusy_NeverRunsTwiceAndRunsOnlyTheNewestQueuedChange()
    {
        var gated = new GatedResponder("slow");
        await using var dispatcher = Create(gated);

        dispatcher.Dispatch(Change(PressureLevel.Elevated), ["slow"], Deadline);
        await gated.Started.WaitAsync(Bound);
        dispatcher.Dispatch(Change(PressureLevel.High), ["slow"], Deadline);
        dispatcher.Dispatch(Change(PressureLevel.Critical), ["slow"], Deadline);
        Assert.Single(gated.Levels);

        gated.Release();
        await dispatcher.DrainAsync(CancellationToken.None).WaitAsync(Bound);

        Assert.Equal([PressureLevel.Elevated, PressureLevel.Critical], gated.Levels);
        Assert.Equal(1, gated.MaxConcurrent);
        Assert.True(dispatcher.IsIdle);
    }

    [Fact]
    public async Task Dispatch_OneThrowsAnotherBlocksSynchronously_OthersStillRunAndFailureIsLogged()
    {
        var throwing = new RecordingResponder("boom") { Throw = new InvalidOperationException("boom") };
        var blocking = new BlockingResponder("block");
        var fine = new RecordingResponder("fine");
        await using var dispatcher = Create(throwing, blocking, fine);

        dispatcher.Dispatch(Change(PressureLevel.High), ["boom", "block", "fine", "unknown"], Deadline);

        await WaitUntilAsync(() => fine.Changes.Count == 1 && _logs.WithEvent(103).Count == 1);
        Assert.Single(throwing.Changes);
        blocking.Release.Set();
        await dispatcher.DrainAsync(CancellationToken.None).WaitAsync(Bound);
        Assert.Equal(1, blocking.Calls);
    }

    [Fact]
    public async Task Dispatch_TimedOutRunEndsLater_QueuedChangeRunsThen()
    {
        var gated = new GatedResponder("late");
        await using var dispatcher = Create(gated);

        dispatcher.Dispatch(Change(PressureLevel.Elevated), ["late"], Deadline);
        await gated.Started.WaitAsync(Bound);
        await WaitUntilAsync(() => _time.ActiveTimers >= 2);
        _time.Advance(Deadline);
        await WaitUntilAsync(() => _logs.WithEvent(113).Count == 1);

        dispatcher.Dispatch(Change(PressureLevel.Normal), ["late"], Deadline);
        Assert.Single(gated.Levels);

        gated.Release();
        await dispatcher.DrainAsync(CancellationToken.None).WaitAsync(Bound);
        Assert.Equal([PressureLevel.Elevated, PressureLevel.Normal], gated.Levels);
    }

    [Fact]
    public async Task StopAsync_RunningResponder_CancelsItsTokenWaitsAndRefusesNewRuns()
    {
        var gated = new GatedResponder("slow") { CompleteOnCancel = true };
        await using var dispatcher = Create(gated);
        dispatcher.Dispatch(Change(PressureLevel.High), ["slow"], Deadline);
        await gated.Started.WaitAsync(Bound);

        await dispatcher.StopAsync(CancellationToken.None).WaitAsync(Bound);
        Assert.True(dispatcher.IsIdle);
        dispatcher.Dispatch(Change(PressureLevel.Critical), ["slow"], Deadline);

        Assert.True(gated.Token.IsCancellationRequested);
        Assert.Single(gated.Levels);
    }

    private ResponderDispatcher Create(params IMemoryPressureResponder[] responders) =>
        new(responders.ToDictionary(r => r.Name, StringComparer.Ordinal), _time, _metrics, _loggerFactory.CreateLogger("test"));

    private static MemoryPressureChange Change(PressureLevel level) =>
        new(PressureLevel.Normal, new MemoryPressureSnapshot(level, 50, 100, DateTimeOffset.UnixEpoch, []), TestContracts.SingleModule());

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var bound = new CancellationTokenSource(Bound);
        while (!condition())
        {
            await Task.Delay(5, bound.Token);
        }
    }

    private sealed class GatedResponder(string name) : IMemoryPressureResponder
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _concurrent;
        private int _maxConcurrent;

        public string Name { get; } = name;

        public bool CompleteOnCancel { get; init; }

        public List<PressureLevel> Levels { get; } = [];

        public Task Started => _started.Task;

        public CancellationToken Token { get; private set; }

        public int MaxConcurrent => Volatile.Read(ref _maxConcurrent);

        public void Release() => _release.TrySetResult();

        public async ValueTask OnLevelChangedAsync(MemoryPressureChange change, CancellationToken cancellationToken)
        {
            var now = Interlocked.Increment(ref _concurrent);
            InterlockedMax(ref _maxConcurrent, now);
            lock (Levels)
            {
                Levels.Add(change.Level);
            }

            Token = cancellationToken;
            _started.TrySetResult();
            try
            {
                if (CompleteOnCancel)
                {
                    await _release.Task.WaitAsync(cancellationToken);
                }
                else
                {
                    // Ignores its token, as a stuck call would.
                    await _release.Task;
                }
            }
            finally
            {
                Interlocked.Decrement(ref _concurrent);
            }
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int current;
            while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
            {
            }
        }
    }

    private sealed class BlockingResponder(string name) : IMemoryPressureResponder
    {
        public string Name { get; } = name;

        public ManualResetEventSlim Release { get; } = new();

        public int Calls { get; private set; }

        public ValueTask OnLevelChangedAsync(MemoryPressureChange change, CancellationToken cancellationToken)
        {
            Calls++;
            Release.Wait(Bound, CancellationToken.None);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class ServiceMeterFactory : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            _meters.Add(meter);
            return meter;
        }

        public void Dispose() => _meters.ForEach(m => m.Dispose());
    }
}
