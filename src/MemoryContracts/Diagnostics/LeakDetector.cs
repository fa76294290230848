namespace MemoryContracts;

/// <summary>
/// Suspects a leak from the values read after each full collection (<see cref="LeakReading"/>):
/// the heap left, the thread-pool thread count and the active timer count each go through a
/// <see cref="GrowthDetector"/> over the last <see cref="LeakDetectionPolicy.FullGcs"/> collections.
/// Pure and allocation-free; not thread-safe (one caller, the guard tick).
/// </summary>
internal sealed class LeakDetector
{
    /// <summary>The default least growth of the thread-pool thread count over the window.</summary>
    public const int DefaultMinThreadGrowth = 16;

    /// <summary>The default least growth of the active timer count over the window.</summary>
    public const long DefaultMinTimerGrowth = 1000;

    private readonly GrowthDetector _heap;
    private readonly GrowthDetector _threads;
    private readonly GrowthDetector _timers;
    private long _lastGcIndex = -1;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="policy">The window (<see cref="LeakDetectionPolicy.FullGcs"/>, at least 2) and the heap's least growth (at least 1 byte).</param>
    /// <param name="minThreadGrowth">The least growth of the thread-pool thread count over the window.</param>
    /// <param name="minTimerGrowth">The least growth of the active timer count over the window.</param>
    public LeakDetector(LeakDetectionPolicy policy, int minThreadGrowth = DefaultMinThreadGrowth, long minTimerGrowth = DefaultMinTimerGrowth)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.FullGcs < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(policy), policy.FullGcs, "leak_detection.full_gcs must be at least 2: growth is judged between collections.");
        }

        if (policy.MinGrowthBytes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(policy), policy.MinGrowthBytes, "leak_detection.min_growth_mb must be positive.");
        }

        _heap = new GrowthDetector(policy.FullGcs, policy.MinGrowthBytes);
        _threads = new GrowthDetector(policy.FullGcs, minThreadGrowth);
        _timers = new GrowthDetector(policy.FullGcs, minTimerGrowth);
    }

    /// <summary>Gets the verdict after the last reading added.</summary>
    public LeakVerdict Current { get; private set; }

    /// <summary>
    /// Adds the values read after a full collection and judges the window. A reading whose
    /// <see cref="LeakReading.GcIndex"/> is not newer than the last one added is ignored (the same
    /// collection read twice must not count twice).
    /// </summary>
    /// <param name="reading">The values read after the collection.</param>
    /// <returns>The new verdict, or <see cref="Current"/> when the reading was ignored.</returns>
    public LeakVerdict Add(in LeakReading reading)
    {
        if (reading.GcIndex <= _lastGcIndex)
        {
            return Current;
        }

        _lastGcIndex = reading.GcIndex;
        var heap = _heap.Add(reading.HeapBytes);
        var threads = _threads.Add(reading.ThreadPoolThreads);
        var timers = _timers.Add(reading.ActiveTimers);

        var grew = LeakSignals.None;
        if (heap.Suspected)
        {
            grew |= LeakSignals.Heap;
        }

        if (threads.Suspected)
        {
            grew |= LeakSignals.ThreadPoolThreads;
        }

        if (timers.Suspected)
        {
            grew |= LeakSignals.Timers;
        }

        var newly = grew & ~Current.Grew;
        Current = new LeakVerdict(grew, newly, heap, threads, timers);
        return Current;
    }

    /// <summary>Forgets every reading (e.g. when the contract changes).</summary>
    public void Reset()
    {
        _heap.Reset();
        _threads.Reset();
        _timers.Reset();
        _lastGcIndex = -1;
        Current = default;
    }
}
