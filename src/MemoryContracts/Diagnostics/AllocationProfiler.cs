namespace MemoryContracts;

/// <summary>
/// Runs the allocation profile on demand: <see cref="Start"/> from Elevated up begins a fresh
/// <see cref="Profile"/> and turns the runtime's allocation sampling on; <see cref="Stop"/> back in
/// Normal turns it off (Normal costs nothing) and keeps the profile readable until the next start.
/// Thread-safe. <see cref="AllocationProfileFollower"/> drives it from the guard's snapshots, in shadow
/// mode as well: profiling observes, it does not act.
/// </summary>
internal sealed class AllocationProfiler : IDisposable
{
    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private AllocationSamplingListener? _listener;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="time">The clock for <see cref="StartedAt"/>.</param>
    /// <param name="maxTypes">The most distinct types the profile keeps.</param>
    public AllocationProfiler(TimeProvider time, int maxTypes = AllocationProfile.DefaultMaxTypes)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        Profile = new AllocationProfile(maxTypes);
    }

    /// <summary>Gets the samples of the current (or last) run.</summary>
    public AllocationProfile Profile { get; }

    /// <summary>Gets a value indicating whether sampling is on.</summary>
    public bool IsRunning => Volatile.Read(ref _listener) is not null;

    /// <summary>Gets when the current (or last) run started, or <see langword="null"/> before any.</summary>
    public DateTimeOffset? StartedAt { get; private set; }

    /// <summary>Gets when the last run stopped, or <see langword="null"/> while running or before any.</summary>
    public DateTimeOffset? StoppedAt { get; private set; }

    /// <summary>Turns sampling on with a fresh profile; nothing when already on.</summary>
    /// <returns><see langword="true"/> when sampling was turned on by this call.</returns>
    public bool Start()
    {
        lock (_gate)
        {
            if (_listener is not null)
            {
                return false;
            }

            Profile.Clear();
            StartedAt = _time.GetUtcNow();
            StoppedAt = null;
            Volatile.Write(ref _listener, new AllocationSamplingListener(Profile));
            return true;
        }
    }

    /// <summary>Turns sampling off, keeping the profile; nothing when already off.</summary>
    /// <returns><see langword="true"/> when sampling was turned off by this call.</returns>
    public bool Stop()
    {
        lock (_gate)
        {
            var listener = _listener;
            if (listener is null)
            {
                return false;
            }

            Volatile.Write(ref _listener, null);
            listener.Dispose();
            StoppedAt = _time.GetUtcNow();
            return true;
        }
    }

    /// <summary>Starts from <see cref="PressureLevel.Elevated"/> up, stops at <see cref="PressureLevel.Normal"/>.</summary>
    /// <param name="level">The process level now.</param>
    public void Follow(PressureLevel level)
    {
        if (level >= PressureLevel.Elevated)
        {
            Start();
        }
        else
        {
            Stop();
        }
    }

    /// <inheritdoc/>
    public void Dispose() => Stop();
}
