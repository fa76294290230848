using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MemoryContracts;

/// <summary>
/// Holds the published <see cref="MemoryPressureSnapshot"/> (swapped with a volatile write; readers
/// never lock) and the latest raw readings the gauges and the liveness check need every tick, and
/// tells the <see cref="IMemoryPressure.OnChange"/> listeners after each publish.
/// </summary>
internal sealed class MemoryPressureMonitor : IMemoryPressure
{
    private readonly SnapshotListeners _listeners;
    private MemoryPressureSnapshot _current = MemoryPressureSnapshot.Initial;
    private long _lastSampleUtcTicks;
    private long _allocRateBits;
    private long _heapRatioBits;
    private long _samples;
    private long _workingSetBytes = -1;
    private long _containerLimitBytes = -1;
    private long _workingSetRatioBits = BitConverter.DoubleToInt64Bits(double.NaN);

    /// <summary>
    /// Initializes the monitor with a Normal snapshot carrying the plan of the contract in force, so
    /// the request path has a plan before the guard's first sample.
    /// </summary>
    /// <exception cref="MemoryContractException">The contract cannot be compiled (fails start-up).</exception>
    public MemoryPressureMonitor(MemoryContractSource contracts, ILogger<MemoryPressureMonitor> logger)
        : this(logger)
    {
        ArgumentNullException.ThrowIfNull(contracts);
        _current = new MemoryPressureSnapshot(PressureLevel.Normal, 0, 0, DateTimeOffset.MinValue, [])
        {
            Plan = new ContractPlan(contracts.Current),
        };
    }

    /// <summary>Initializes a monitor with the default plan that logs nowhere (tests and benchmarks).</summary>
    public MemoryPressureMonitor()
        : this(NullLogger<MemoryPressureMonitor>.Instance)
    {
    }

    private MemoryPressureMonitor(ILogger logger)
    {
        _listeners = new SnapshotListeners(logger);
    }

    public MemoryPressureSnapshot Current => Volatile.Read(ref _current);

    public IDisposable OnChange(Action<MemoryPressureSnapshot> listener) => _listeners.Add(listener);

    /// <summary>Gets when the guard last finished a sample, or <see langword="null"/> before the first.</summary>
    public DateTimeOffset? LastSampledAt
    {
        get
        {
            var ticks = Interlocked.Read(ref _lastSampleUtcTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    /// <summary>Gets how many samples the guard has graded.</summary>
    public long SampleCount => Interlocked.Read(ref _samples);

    /// <summary>Gets the latest process allocation rate in bytes per second.</summary>
    public double AllocRateBytesPerSecond => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _allocRateBits));

    /// <summary>Gets the latest process heap against the process budget, as a ratio.</summary>
    public double HeapRatio => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _heapRatioBits));

    /// <summary>Gets the latest container working set in bytes, or <see langword="null"/> when it is not known.</summary>
    public long? WorkingSetBytes => Interlocked.Read(ref _workingSetBytes) is var value and >= 0 ? value : null;

    /// <summary>Gets the latest limit the working set is graded against, or <see langword="null"/> when none.</summary>
    public long? ContainerLimitBytes => Interlocked.Read(ref _containerLimitBytes) is var value and >= 0 ? value : null;

    /// <summary>Gets the latest working set against the container limit, or <see langword="null"/> when it is not graded.</summary>
    public double? WorkingSetRatio => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _workingSetRatioBits)) is var value && !double.IsNaN(value) ? value : null;

    /// <summary>Records the container figures of a graded sample. Allocation-free.</summary>
    public void RecordContainer(long? workingSetBytes, long? containerLimitBytes, double? workingSetRatio)
    {
        Interlocked.Exchange(ref _workingSetBytes, workingSetBytes ?? -1);
        Interlocked.Exchange(ref _containerLimitBytes, containerLimitBytes ?? -1);
        Interlocked.Exchange(ref _workingSetRatioBits, BitConverter.DoubleToInt64Bits(workingSetRatio ?? double.NaN));
    }

    public void Publish(MemoryPressureSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        Volatile.Write(ref _current, snapshot);
        _listeners.Notify(snapshot);
    }

    /// <summary>Records the raw readings of a graded sample. Allocation-free.</summary>
    public void RecordSample(DateTimeOffset sampledAt, double heapRatio, double allocRateBytesPerSecond)
    {
        Interlocked.Exchange(ref _heapRatioBits, BitConverter.DoubleToInt64Bits(heapRatio));
        Interlocked.Exchange(ref _allocRateBits, BitConverter.DoubleToInt64Bits(allocRateBytesPerSecond));
        Interlocked.Exchange(ref _lastSampleUtcTicks, sampledAt.UtcTicks);
        Interlocked.Increment(ref _samples);
    }
}
