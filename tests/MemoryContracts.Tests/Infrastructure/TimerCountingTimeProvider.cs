namespace MemoryContracts.Tests.Infrastructure;

/// <summary>
/// Microsoft's <see cref="FakeTimeProvider"/>, also counting the timers that are armed (created or
/// changed with a due time, not yet fired if one-shot, not disposed): a test waits until the code
/// under test has created its timer before it advances the clock.
/// </summary>
public sealed class TimerCountingTimeProvider : FakeTimeProvider
{
    private readonly object _gate = new();
    private readonly HashSet<CountedTimer> _armed = [];

    /// <summary>Initializes a new instance starting at 2026-01-01T00:00:00Z.</summary>
    public TimerCountingTimeProvider()
        : base(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>Initializes a new instance starting at <paramref name="start"/>.</summary>
    public TimerCountingTimeProvider(DateTimeOffset start)
        : base(start)
    {
    }

    /// <summary>Gets how many timers are armed now.</summary>
    public int ActiveTimers
    {
        get
        {
            lock (_gate)
            {
                return _armed.Count;
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var counted = new CountedTimer(this, callback, state);
        counted.Arm(dueTime, period);
        counted.Inner = base.CreateTimer(CountedTimer.Fire, counted, dueTime, period);
        return counted;
    }

    private void Set(CountedTimer timer, bool armed)
    {
        lock (_gate)
        {
            if (armed)
            {
                _armed.Add(timer);
            }
            else
            {
                _armed.Remove(timer);
            }
        }
    }

    private sealed class CountedTimer(TimerCountingTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private readonly TimerCountingTimeProvider _owner = owner;
        private readonly TimerCallback _callback = callback;
        private readonly object? _state = state;
        private bool _periodic;

        public ITimer Inner { get; set; } = null!;

        public static void Fire(object? timer)
        {
            var self = (CountedTimer)timer!;
            if (!self._periodic)
            {
                self._owner.Set(self, armed: false);
            }

            self._callback(self._state);
        }

        public void Arm(TimeSpan dueTime, TimeSpan period)
        {
            _periodic = period != Timeout.InfiniteTimeSpan && period > TimeSpan.Zero;
            _owner.Set(this, armed: dueTime != Timeout.InfiniteTimeSpan);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Arm(dueTime, period);
            return Inner.Change(dueTime, period);
        }

        public void Dispose()
        {
            _owner.Set(this, armed: false);
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            _owner.Set(this, armed: false);
            return Inner.DisposeAsync();
        }
    }
}
