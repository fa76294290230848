using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MemoryContracts;

/// <summary>
/// The guard is the loop: every <c>sampling.interval_ms</c> on the injected <see cref="TimeProvider"/>
/// it samples, grades (<see cref="PressureEvaluator"/>, a pure function returning the new state),
/// publishes a snapshot carrying its plan when anything visible changed
/// (<see cref="SnapshotFactory"/>), and hands level changes to the <see cref="ResponderDispatcher"/>,
/// which runs responders off the loop: a slow, hanging or throwing responder never delays a sample,
/// an escalation or shedding. How late each tick starts is recorded (<c>memory_contracts.tick.lag</c>).
/// Each tick also moves the ORCA load window (<see cref="LoadWindow"/>).
/// A tick never throws out of the loop; at steady state it allocates nothing.
/// </summary>
/// <remarks>
/// <para>
/// When responders are called (<see cref="ResponderRouting"/>): on a change of the overall level, those
/// named for the new level (to act) and for the previous level (to undo); on the return to Normal, every
/// responder the contract names. <see cref="MemoryPressureChange.ShouldAct"/> tells which.
/// </para>
/// <para>
/// A new contract takes effect at once: it is compiled, the grading state carried over (ladders of the
/// modules that stay), and a snapshot carrying the new plan published, so every request-path consumer
/// switches at that publish. Leaving pressure undoes everything (DESIGN §13): when the new contract,
/// while the level is above Normal, stops running responders (all of them when it switches to
/// <c>shadow</c>; otherwise each one it no longer names at all, or no longer names for the current
/// level though the old contract did), each is handed the same <see cref="MemoryPressureChange"/> as on
/// a return to Normal: its <see cref="MemoryPressureChange.Level"/> is <see cref="PressureLevel.Normal"/>,
/// its <see cref="MemoryPressureChange.PreviousLevel"/> the level in force, its snapshot the last
/// published figures, and its <see cref="MemoryPressureChange.Contract"/> the contract it acted under.
/// Built-in responders that leave nothing in force (<c>alert</c>, <c>trim_caches</c>, <c>compact_gc</c>,
/// <c>snapshot</c>, <c>dump</c>) are not called; for <c>tighten_gc</c> and <c>quiet_logs</c> the guard
/// restores the GC settings and log levels itself first, so a failing responder cannot leave them
/// changed; a switch to shadow releases the <c>gc_trigger_ratio</c> tightening too. A responder a new
/// contract starts naming for the current level first runs on the next level change.
/// </para>
/// </remarks>
internal sealed class MemoryGuard : BackgroundService
{
    private readonly MemoryContractSource _source;
    private readonly IMemorySampler _sampler;
    private readonly MemoryPressureMonitor _monitor;
    private readonly TimeProvider _time;
    private readonly MemoryContractsMetrics _metrics;
    private readonly TrimmableRegistry _trimmables;
    private readonly GcTightening _gc;
    private readonly QuietLogsSwitch _quietLogs;
    private readonly GcTrigger _gcTrigger;
    private readonly ResponderDispatcher _dispatcher;
    private readonly LoadWindow _load;
    private readonly ILogger _logger;
    private readonly Lock _tickGate = new();
    private readonly string[] _responderNames;

    private ContractPlan _plan;
    private GuardState _state;
    private GuardState _spare;
    private long[] _owned;
    private long _ticks;

    public MemoryGuard(
        MemoryContractSource source,
        IMemorySampler sampler,
        MemoryPressureMonitor monitor,
        TimeProvider time,
        MemoryContractsMetrics metrics,
        TrimmableRegistry trimmables,
        GcTightening gc,
        QuietLogsSwitch quietLogs,
        LoadWindow load,
        IEnumerable<IMemoryPressureResponder> responders,
        ILogger<MemoryGuard> logger)
    {
        _source = source;
        _sampler = sampler;
        _monitor = monitor;
        _time = time;
        _metrics = metrics;
        _trimmables = trimmables;
        _gc = gc;
        _quietLogs = quietLogs;
        _load = load;
        _logger = logger;
        _gcTrigger = new GcTrigger(gc, logger);

        // Later registrations win, so a user's responder can replace a built-in one of the same name.
        var byName = new Dictionary<string, IMemoryPressureResponder>(StringComparer.Ordinal);
        foreach (var responder in responders)
        {
            byName[responder.Name] = responder;
        }

        _dispatcher = new ResponderDispatcher(byName, time, metrics, logger);
        _responderNames = [.. byName.Keys];

        // The monitor compiled the contract in force for the first snapshot: enforce that same plan.
        _plan = monitor.Current.Plan;
        MemoryContractValidator.EnsureRespondersKnown(_plan.Contract, _responderNames);
        _state = new GuardState(_plan.Modules.Length);
        _spare = new GuardState(_plan.Modules.Length);
        _owned = new long[_plan.Modules.Length];
        source.Changed += OnContractChanged;
    }

    /// <summary>Gets the compiled contract the guard enforces now.</summary>
    internal ContractPlan Plan => Volatile.Read(ref _plan);

    /// <summary>Gets the grade of the latest sample (for tests and diagnostics).</summary>
    internal GuardState State => _state;

    /// <summary>Gets the dispatcher that runs the responders (tests wait on it).</summary>
    internal ResponderDispatcher Dispatcher => _dispatcher;

    /// <summary>Gets how many ticks have completed (sampled, graded and reacted, or failed).</summary>
    internal long CompletedTicks => Interlocked.Read(ref _ticks);

    /// <summary>Takes the first sample before the host finishes starting, so probes and headers are right at once.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var contract = _plan.Contract;
        if (_logger.IsEnabled(LogLevel.Information))
        {
            var modules = string.Join(", ", _plan.Modules.Select(m => m.Name));
            GuardLog.GuardStarted(_logger, contract.Version, contract.Mode, contract.SamplingInterval.TotalMilliseconds, modules);
        }

        await TickAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the loop, lets busy responders end (within the host's shutdown timeout), and restores the GC and logging settings.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await base.StopAsync(cancellationToken).ConfigureAwait(false);
            await _dispatcher.StopAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gc.Release(TighteningReasons.All);
            _quietLogs.Restore();
        }
    }

    public override void Dispose()
    {
        _source.Changed -= OnContractChanged;
        _dispatcher.Cancel();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Plan.Contract.SamplingInterval, _time);
        var previousStart = _time.GetTimestamp();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                // How late this tick starts: the time since the previous one started, less the period.
                var started = _time.GetTimestamp();
                var late = _time.GetElapsedTime(previousStart, started) - timer.Period;
                _metrics.TickLagged(late > TimeSpan.Zero ? late.TotalSeconds : 0);
                previousStart = started;
                Tick();
                var interval = Plan.Contract.SamplingInterval;
                if (timer.Period != interval)
                {
                    timer.Period = interval;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One tick (see <see cref="Tick"/>); responders it hands changes to run on their own.</summary>
    internal ValueTask TickAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Tick();
        return ValueTask.CompletedTask;
    }

    /// <summary>One tick: sample, grade, publish what changed and dispatch level changes. Never throws.</summary>
    internal void Tick()
    {
        try
        {
            lock (_tickGate)
            {
                var previous = _monitor.Current;
                if (SampleAndGrade())
                {
                    React(previous, _monitor.Current);
                }
            }
        }
        catch (Exception exception)
        {
            GuardLog.TickFailed(_logger, exception);
        }
        finally
        {
            Interlocked.Increment(ref _ticks);
        }
    }

    /// <summary>
    /// Samples, grades and publishes a snapshot when anything visible changed; returns whether it
    /// published. Allocation-free when nothing changed. Called under the tick gate (or by a benchmark alone).
    /// </summary>
    internal bool SampleAndGrade()
    {
        var started = Stopwatch.GetTimestamp();
        MemorySample sample;
        try
        {
            sample = _sampler.Sample();
        }
        catch (Exception exception)
        {
            _metrics.SamplerFailed();
            GuardLog.SamplerFailed(_logger, exception);
            return false;
        }

        var plan = _plan;
        _trimmables.ComputeOwned(plan, _owned);
        var graded = PressureEvaluator.Evaluate(_state, plan, sample, _time.GetTimestamp(), _time.TimestampFrequency, _owned, _spare);
        _spare = _state;
        _state = graded;
        _monitor.RecordSample(_time.GetUtcNow(), graded.ProcessHeapRatio, graded.AllocRateBytesPerSecond);
        _monitor.RecordContainer(graded.WorkingSetBytes, graded.ContainerLimitBytes, graded.WorkingSetRatio);
        _gcTrigger.Apply(plan, graded);
        _metrics.SampleTook(Stopwatch.GetElapsedTime(started).TotalSeconds);

        // The ORCA rates (requests, errors, CPU) move on the same loop, off the request path.
        _load.Observe();

        if (!SnapshotFactory.Differs(_monitor.Current, plan, graded))
        {
            return false;
        }

        _monitor.Publish(SnapshotFactory.Create(plan, graded, _time.GetUtcNow()));
        return true;
    }

    /// <summary>Logs and counts what changed between two published snapshots, and dispatches a change of the overall level.</summary>
    private void React(MemoryPressureSnapshot previous, MemoryPressureSnapshot snapshot)
    {
        var plan = snapshot.Plan;
        for (var i = 0; i < snapshot.Modules.Count; i++)
        {
            var module = snapshot.Modules[i];
            var before = SnapshotFactory.PublishedLevel(previous, module.Module);
            if (module.Level != before)
            {
                _metrics.LevelChanged(module.Module, module.Level);
                GuardLog.ModuleLevelChanged(_logger, module.Module, before, module.Level, module.HeapRatio);
            }
        }

        if (snapshot.ProcessLevel != previous.ProcessLevel)
        {
            _metrics.LevelChanged(MemoryContractsMetricNames.ProcessModule, snapshot.ProcessLevel);
            if (_state.PredictedCritical && snapshot.ProcessLevel == PressureLevel.Critical)
            {
                GuardLog.PredictedCritical(_logger, snapshot.HeapBytes, snapshot.UsagePercent, plan.Contract.Escalation.Consecutive.Critical);
            }
        }

        if (snapshot.Level == previous.Level)
        {
            return;
        }

        if (plan.IsShadow)
        {
            if (_logger.IsEnabled(LogLevel.Warning))
            {
                GuardLog.ShadowTransition(_logger, previous.Level, snapshot.Level, snapshot.UsagePercent, string.Join(", ", plan.Contract.Responses.For(snapshot.Level)));
            }

            return;
        }

        var change = new MemoryPressureChange(previous.Level, snapshot, plan.Contract);
        _dispatcher.Dispatch(change, ResponderRouting.ForLevelChange(plan.Contract, previous.Level, snapshot.Level), plan.Contract.Responses.Timeout);
    }

    private void OnContractChanged(MemoryContract contract)
    {
        ContractPlan next;
        try
        {
            next = new ContractPlan(contract);
            MemoryContractValidator.EnsureRespondersKnown(contract, _responderNames);
        }
        catch (MemoryContractException exception)
        {
            GuardLog.ContractRejected(_logger, exception);
            return;
        }

        try
        {
            lock (_tickGate)
            {
                Apply(next);
            }

            GuardLog.ContractApplied(_logger, contract.Version, contract.Modules.Count);
        }
        catch (Exception exception)
        {
            GuardLog.TickFailed(_logger, exception);
        }
    }

    /// <summary>Applies a new plan at once: carries the state, publishes under the new plan, and undoes what it stops.</summary>
    private void Apply(ContractPlan next)
    {
        var old = _plan;
        var published = _monitor.Current;
        _state = GuardState.Carry(_state, old, next);
        _spare = new GuardState(next.Modules.Length);
        _owned = new long[next.Modules.Length];
        Volatile.Write(ref _plan, next);
        _gcTrigger.Apply(next, _state);
        _monitor.Publish(SnapshotFactory.Create(next, _state, _time.GetUtcNow()));

        var stopped = ResponderRouting.StoppedBy(old, next, published.Level);
        if (stopped.Length == 0)
        {
            return;
        }

        if (_logger.IsEnabled(LogLevel.Information))
        {
#pragma warning disable CA1873 // Guarded by IsEnabled just above.
            GuardLog.RespondersUndone(_logger, next.Contract.Version, next.Contract.Mode, string.Join(", ", stopped), published.Level);
#pragma warning restore CA1873
        }

        // What the built-in ones leave in force is restored here, whatever the responders do.
        if (stopped.Contains(BuiltInResponders.TightenGc, StringComparer.Ordinal) && _gc.Release(TighteningReasons.Level))
        {
            ResponsesLog.GcRestored(_logger, _gc.LatencyMode);
        }

        if (stopped.Contains(BuiltInResponders.QuietLogs, StringComparer.Ordinal) && _quietLogs.Restore())
        {
            ResponsesLog.LogsRestored(_logger);
        }

        var normal = new MemoryPressureSnapshot(PressureLevel.Normal, published.UsagePercent, published.CapacityBytes, published.Timestamp, published.Modules)
        {
            ProcessLevel = published.ProcessLevel,
            HeapBytes = published.HeapBytes,
            HeapRatio = published.HeapRatio,
            Plan = published.Plan,
        };
        _dispatcher.Dispatch(new MemoryPressureChange(published.Level, normal, old.Contract), stopped, old.Contract.Responses.Timeout);
    }
}
