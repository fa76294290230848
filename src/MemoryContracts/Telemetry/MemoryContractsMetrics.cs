using System.Diagnostics.Metrics;
using static MemoryContracts.MemoryContractsMetricNames;

namespace MemoryContracts;

/// <summary>
/// Every instrument of the <c>MemoryContracts</c> meter, created once through <see cref="IMeterFactory"/>.
/// Recording methods take pre-built strings and allocate nothing.
/// </summary>
internal sealed class MemoryContractsMetrics
{
    private static readonly string[] LevelNames = ["normal", "elevated", "high", "critical"];

    private readonly Counter<long> _requestsShed;
    private readonly Counter<long> _levelChanges;
    private readonly Counter<long> _cacheTrimmed;
    private readonly Counter<long> _gcInduced;
    private readonly Histogram<double> _sampleDuration;
    private readonly Histogram<double> _tickLag;
    private readonly Counter<long> _responderFailures;
    private readonly Counter<long> _samplerFailures;
    private readonly Counter<long> _cacheWritesRefused;
    private readonly Counter<long> _headersMalformed;
    private readonly Counter<long> _downstreamRefused;
    private readonly Counter<long> _contractReloads;
    private readonly Counter<long> _leakSuspected;

    public MemoryContractsMetrics(IMeterFactory meterFactory, MemoryPressureMonitor monitor)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(monitor);
        Meter = meterFactory.Create(MeterName);

        Meter.CreateObservableGauge(MemoryContractsMetricNames.PressureLevel, () => ObserveLevels(monitor.Current), unit: "{level}",
            description: "Pressure level: 0 Normal, 1 Elevated, 2 High, 3 Critical; per module and for the process (_process).");
        Meter.CreateObservableGauge(HeapUtilization, () => ObserveHeap(monitor), unit: "1",
            description: "Heap against its budget, as a ratio; per module and for the process (_process).");
        Meter.CreateObservableGauge(AllocRate, () => monitor.AllocRateBytesPerSecond, unit: "By/s",
            description: "Process allocation rate.");
        Meter.CreateObservableGauge(ContainerWorkingSet, () => Optional(monitor.WorkingSetBytes), unit: "By",
            description: "The container's working set (cgroup usage minus inactive file pages); absent outside a memory cgroup.");
        Meter.CreateObservableGauge(ContainerLimit, () => Optional(monitor.ContainerLimitBytes), unit: "By",
            description: "The limit the working set is graded against (container.limit_mb, else the cgroup's); absent when none.");
        Meter.CreateObservableGauge(WorkingSetUtilization, () => Optional(monitor.WorkingSetRatio), unit: "1",
            description: "The working set against the container limit, as a ratio; absent when not graded.");

        _requestsShed = Meter.CreateCounter<long>(RequestsShed, "{request}", "Requests answered 429 by shedding.");
        _levelChanges = Meter.CreateCounter<long>(LevelChanges, "{change}", "Level transitions, by module and new level.");
        _cacheTrimmed = Meter.CreateCounter<long>(CacheTrimmed, "By", "Bytes trimmed from caches and trimmables (estimated).");
        _gcInduced = Meter.CreateCounter<long>(GcInduced, "{collection}", "Compacting collections induced by compact_gc.");
        _sampleDuration = Meter.CreateHistogram<double>(SampleDuration, "s", "Time to take and grade one sample.");
        _tickLag = Meter.CreateHistogram<double>(TickLag, "s", "How late each tick of the guard's loop started: time since the previous tick's start, less sampling.interval_ms (0 when on time).");
        _responderFailures = Meter.CreateCounter<long>(ResponderFailures, "{failure}", "Responder runs that threw (outcome failure) or passed responses.timeout_seconds (outcome timeout).");
        _samplerFailures = Meter.CreateCounter<long>(SamplerFailures, "{failure}", "Samples that threw.");
        _cacheWritesRefused = Meter.CreateCounter<long>(CacheWritesRefused, "{write}", "Module cache writes refused under pressure.");
        _headersMalformed = Meter.CreateCounter<long>(HeadersMalformed, "{header}", "Malformed X-Memory-* header values ignored.");
        _downstreamRefused = Meter.CreateCounter<long>(DownstreamRefusals, "{request}", "Outbound calls refused locally by downstream backoff (the downstream's recent answers were mostly memory rejections).");
        _contractReloads = Meter.CreateCounter<long>(ContractReloads, "{reload}", "Contract reloads, by outcome.");
        _leakSuspected = Meter.CreateCounter<long>(LeakSuspected, "{suspicion}", "Leaks newly suspected, by what grew (heap, thread_pool_threads, timers).");
    }

    public Meter Meter { get; }

    public static string LevelName(PressureLevel level) => LevelNames[(int)level];

    public void RequestShed(string? module) =>
        _requestsShed.Add(1, new KeyValuePair<string, object?>(ModuleTag, module ?? UnassignedModule));

    public void LevelChanged(string module, PressureLevel level) =>
        _levelChanges.Add(1, new KeyValuePair<string, object?>(ModuleTag, module), new KeyValuePair<string, object?>(LevelTag, LevelName(level)));

    public void CacheTrimmedBytes(string module, long bytes) =>
        _cacheTrimmed.Add(bytes, new KeyValuePair<string, object?>(ModuleTag, module));

    public void GcInducedOnce() => _gcInduced.Add(1);

    public void SampleTook(double seconds) => _sampleDuration.Record(seconds);

    public void TickLagged(double seconds) => _tickLag.Record(seconds);

    public void ResponderFailed(string responder, string outcome = FailureOutcome) =>
        _responderFailures.Add(1, new KeyValuePair<string, object?>(ResponderTag, responder), new KeyValuePair<string, object?>(OutcomeTag, outcome));

    public void SamplerFailed() => _samplerFailures.Add(1);

    public void CacheWriteRefused(string module) =>
        _cacheWritesRefused.Add(1, new KeyValuePair<string, object?>(ModuleTag, module));

    public void HeaderMalformed(string header) =>
        _headersMalformed.Add(1, new KeyValuePair<string, object?>(HeaderTag, header));

    public void DownstreamRefused(string authority) =>
        _downstreamRefused.Add(1, new KeyValuePair<string, object?>(AuthorityTag, authority));

    public void ContractReloaded(bool succeeded) =>
        _contractReloads.Add(1, new KeyValuePair<string, object?>(OutcomeTag, succeeded ? "success" : "failure"));

    /// <summary>Counts each signal of <paramref name="newlyGrew"/> once.</summary>
    public void LeakSuspectedOnce(LeakSignals newlyGrew)
    {
        if ((newlyGrew & LeakSignals.Heap) != 0)
        {
            _leakSuspected.Add(1, new KeyValuePair<string, object?>(SignalTag, LeakSignalNames.Heap));
        }

        if ((newlyGrew & LeakSignals.ThreadPoolThreads) != 0)
        {
            _leakSuspected.Add(1, new KeyValuePair<string, object?>(SignalTag, LeakSignalNames.ThreadPoolThreads));
        }

        if ((newlyGrew & LeakSignals.Timers) != 0)
        {
            _leakSuspected.Add(1, new KeyValuePair<string, object?>(SignalTag, LeakSignalNames.Timers));
        }
    }

    private static IEnumerable<Measurement<int>> ObserveLevels(MemoryPressureSnapshot snapshot)
    {
        yield return new Measurement<int>((int)snapshot.ProcessLevel, new KeyValuePair<string, object?>(ModuleTag, ProcessModule));
        foreach (var module in snapshot.Modules)
        {
            yield return new Measurement<int>((int)module.Level, new KeyValuePair<string, object?>(ModuleTag, module.Module));
        }
    }

    private static Measurement<T>[] Optional<T>(T? value)
        where T : struct => value is { } v ? [new Measurement<T>(v)] : [];

    private static IEnumerable<Measurement<double>> ObserveHeap(MemoryPressureMonitor monitor)
    {
        yield return new Measurement<double>(monitor.HeapRatio, new KeyValuePair<string, object?>(ModuleTag, ProcessModule));
        foreach (var module in monitor.Current.Modules)
        {
            yield return new Measurement<double>(module.HeapRatio, new KeyValuePair<string, object?>(ModuleTag, module.Module));
        }
    }
}
