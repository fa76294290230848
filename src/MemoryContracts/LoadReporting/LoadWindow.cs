namespace MemoryContracts;

/// <summary>
/// The request rate, error rate and CPU of the last few seconds, for the ORCA report (DESIGN §11).
/// The guard calls <see cref="Observe"/> on every tick, off the request path: at most once a
/// <see cref="CheckpointSpacing"/> it takes a <see cref="LoadCheckpoint"/> of the running totals and
/// publishes the rates between it and the newest checkpoint at least <see cref="Length"/> old (the
/// oldest it has, while it has none that old). The request path only reads: <see cref="Current"/>
/// and <see cref="OrcaHeaderValue"/>, which formats the header once per window and snapshot.
/// </summary>
/// <remarks>
/// One writer (the guard, under its tick gate), many readers, no lock and no allocation on either
/// side: the figures are published under a sequence number (odd while they are written) that a reader
/// checks before and after reading them. The header string is the only allocation, once per window
/// (about a second) and snapshot, by the first request that needs it.
/// </remarks>
internal sealed class LoadWindow
{
    /// <summary>The shortest time between two checkpoints.</summary>
    public static readonly TimeSpan CheckpointSpacing = TimeSpan.FromSeconds(1);

    /// <summary>How far back the rates reach.</summary>
    public static readonly TimeSpan Length = TimeSpan.FromSeconds(5);

    // Checkpoints are at least a second apart, so a ring of eight always holds one five seconds old.
    private const int Capacity = 8;

    private readonly RequestTally _tally;
    private readonly IProcessCpuClock _cpu;
    private readonly TimeProvider _time;
    private readonly LoadCheckpoint[] _ring = new LoadCheckpoint[Capacity];
    private int _count;
    private int _newest = -1;

    private long _sequence;
    private long _cpuBits;
    private long _requestsBits;
    private long _errorsBits;

    private CachedHeader? _header;

    public LoadWindow(RequestTally tally, IProcessCpuClock cpu, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(tally);
        ArgumentNullException.ThrowIfNull(cpu);
        ArgumentNullException.ThrowIfNull(time);
        _tally = tally;
        _cpu = cpu;
        _time = time;
    }

    /// <summary>Gets the rates of the last closed window (all zero before the first has closed).</summary>
    public LoadFigures Current
    {
        get
        {
            var spin = default(SpinWait);
            while (true)
            {
                var before = Volatile.Read(ref _sequence);
                if ((before & 1) == 0)
                {
                    var figures = new LoadFigures(
                        BitConverter.Int64BitsToDouble(Volatile.Read(ref _cpuBits)),
                        BitConverter.Int64BitsToDouble(Volatile.Read(ref _requestsBits)),
                        BitConverter.Int64BitsToDouble(Volatile.Read(ref _errorsBits)),
                        before >> 1);
                    if (Volatile.Read(ref _sequence) == before)
                    {
                        return figures;
                    }
                }

                spin.SpinOnce();
            }
        }
    }

    /// <summary>
    /// Takes a checkpoint and publishes new rates when the last one is at least
    /// <see cref="CheckpointSpacing"/> old. Called by one thread at a time (the guard's tick). Allocation-free.
    /// </summary>
    /// <returns>Whether new rates were published.</returns>
    public bool Observe()
    {
        var now = _time.GetTimestamp();
        var frequency = (double)_time.TimestampFrequency;
        if (_count > 0 && (now - _ring[_newest].Timestamp) / frequency < CheckpointSpacing.TotalSeconds)
        {
            return false;
        }

        var (requests, errors) = _tally.Totals;
        var checkpoint = new LoadCheckpoint(now, requests, errors, _cpu.TotalProcessorTime);
        var since = _count == 0 ? (LoadCheckpoint?)null : Baseline(now, frequency);
        _newest = (_newest + 1) % Capacity;
        _ring[_newest] = checkpoint;
        _count = Math.Min(_count + 1, Capacity);
        if (since is not { } from)
        {
            return false;
        }

        var seconds = (now - from.Timestamp) / frequency;
        var cores = Math.Max(1, _cpu.AvailableCores);
        Publish(
            cpu: Math.Max(0, (checkpoint.CpuTime - from.CpuTime).TotalSeconds / (seconds * cores)),
            requests: Math.Max(0, checkpoint.Requests - from.Requests) / seconds,
            errors: Math.Max(0, checkpoint.Errors - from.Errors) / seconds);
        return true;
    }

    /// <summary>
    /// Gets the <c>endpoint-load-metrics</c> value for a response under <paramref name="snapshot"/>:
    /// formatted by the first request of each window and snapshot, then the same string for the rest.
    /// </summary>
    public string OrcaHeaderValue(MemoryPressureSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var cached = Volatile.Read(ref _header);
        if (cached is not null && ReferenceEquals(cached.Snapshot, snapshot) && cached.Sequence == Volatile.Read(ref _sequence) >> 1)
        {
            return cached.Value;
        }

        var figures = Current;
        var value = OrcaLoadText.Format(snapshot, figures);
        Volatile.Write(ref _header, new CachedHeader(snapshot, figures.Sequence, value));
        return value;
    }

    /// <summary>The newest checkpoint at least <see cref="Length"/> old, else the oldest one.</summary>
    private LoadCheckpoint Baseline(long now, double frequency)
    {
        var index = _newest;
        for (var i = 0; i < _count; i++)
        {
            var checkpoint = _ring[index];
            if ((now - checkpoint.Timestamp) / frequency >= Length.TotalSeconds || i == _count - 1)
            {
                return checkpoint;
            }

            index = (index + Capacity - 1) % Capacity;
        }

        return _ring[_newest];
    }

    private void Publish(double cpu, double requests, double errors)
    {
        // Odd while writing; the full fence of the increment keeps the writes below after it.
        Interlocked.Increment(ref _sequence);
        Volatile.Write(ref _cpuBits, BitConverter.DoubleToInt64Bits(cpu));
        Volatile.Write(ref _requestsBits, BitConverter.DoubleToInt64Bits(requests));
        Volatile.Write(ref _errorsBits, BitConverter.DoubleToInt64Bits(errors));
        Volatile.Write(ref _sequence, _sequence + 1);
    }

    /// <summary>A formatted header and what it was formatted from.</summary>
    private sealed record CachedHeader(MemoryPressureSnapshot Snapshot, long Sequence, string Value);
}
