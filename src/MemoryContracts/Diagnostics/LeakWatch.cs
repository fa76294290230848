using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MemoryContracts;

/// <summary>
/// Runs leak detection (<c>leak_detection</c>, DESIGN §12) as its own hosted service, beside the guard:
/// at the contract's <c>sampling.interval_ms</c> (a <see cref="PeriodicTimer"/> on the injected
/// <see cref="TimeProvider"/>) it reads the values after the newest full collection
/// (<see cref="ILeakSampler"/>) and judges them (<see cref="LeakDetector"/>). A newly grown signal is
/// logged (event 700) and counted (<c>memory_contracts.leak.suspected</c>); <see cref="Current"/> is the
/// verdict for the health data and the snapshot. The contract in force is read from the published
/// snapshot's plan at each tick: a new contract resets the detector (and the timer when the interval
/// changed); with <c>leak_detection.enabled: false</c> nothing is read and the verdict is empty.
/// Detection observes only, so it runs in shadow mode too. A failed tick is logged and the loop goes on.
/// Between full collections a tick allocates nothing.
/// </summary>
internal sealed class LeakWatch : BackgroundService
{
    private readonly IMemoryPressure _pressure;
    private readonly ILeakSampler _sampler;
    private readonly TimeProvider _time;
    private readonly MemoryContractsMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private MemoryContract? _contract;
    private LeakDetector? _detector;
    private LeakVerdict _verdict;

    public LeakWatch(IMemoryPressure pressure, ILeakSampler sampler, TimeProvider time, MemoryContractsMetrics metrics, ILogger<LeakWatch> logger)
    {
        ArgumentNullException.ThrowIfNull(pressure);
        ArgumentNullException.ThrowIfNull(sampler);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(logger);
        _pressure = pressure;
        _sampler = sampler;
        _time = time;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>Gets the verdict after the last full collection judged (empty while disabled or before any).</summary>
    public LeakVerdict Current
    {
        get
        {
            lock (_gate)
            {
                return _verdict;
            }
        }
    }

    /// <summary>Gets a value indicating whether the contract in force enables leak detection.</summary>
    public bool Enabled => _detector is not null;

    /// <summary>
    /// One tick: follows the contract in force, then, when enabled, judges the newest full collection
    /// if one completed since the last tick. Never throws (a failure is logged).
    /// </summary>
    internal void Tick()
    {
        try
        {
            Follow(_pressure.Current.Plan.Contract);
            if (_detector is not { } detector || !_sampler.TryRead(out var reading))
            {
                return;
            }

            var before = Current;
            var verdict = detector.Add(reading);
            Publish(verdict);
            if (verdict.NewlyGrew != LeakSignals.None)
            {
                DiagnosticsLog.LeakSuspected(_logger, verdict);
                _metrics.LeakSuspectedOnce(verdict.NewlyGrew);
            }
            else if (before.Suspected && !verdict.Suspected)
            {
                DiagnosticsLog.LeakCleared(_logger, verdict.FullGcs);
            }
        }
#pragma warning disable CA1031 // The watch runs for the life of the host: a failed tick is logged, the next one runs.
        catch (Exception e)
#pragma warning restore CA1031
        {
            DiagnosticsLog.LeakWatchFailed(_logger, e);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var interval = _pressure.Current.Plan.Contract.SamplingInterval;
            using var timer = new PeriodicTimer(interval, _time);
            try
            {
                while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
                {
                    Tick();
                    if (_contract is { } contract && contract.SamplingInterval != interval)
                    {
                        break;
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Starts over when the contract in force is another one: a new detector of its policy, or none when disabled.</summary>
    private void Follow(MemoryContract contract)
    {
        if (ReferenceEquals(contract, _contract))
        {
            return;
        }

        _contract = contract;
        var policy = contract.LeakDetection;
        _detector = policy.Enabled ? new LeakDetector(policy) : null;
        Publish(default);
    }

    private void Publish(in LeakVerdict verdict)
    {
        lock (_gate)
        {
            _verdict = verdict;
        }
    }
}
