using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MemoryContracts;

/// <summary>
/// The guard: samples on the injected <see cref="TimeProvider"/> every <c>sampling.interval_ms</c>,
/// grades the sample (<see cref="PressureEvaluator"/>), publishes a snapshot when anything visible
/// changed, and on a level change runs the responders named for the new (and previous) level, each
/// isolated. A tick never throws out of the loop. At steady state a tick allocates nothing.
/// </summary>
/// <remarks>
/// Leaving pressure undoes everything (DESIGN §13). On the return to Normal every responder the contract
/// names is told. On the tick that applies a new contract while the level is above Normal, the responders
/// it stops running are told to undo: all of them when it switches to <c>shadow</c>; otherwise each one it
/// no longer names at all, or no longer names for the current level though the old contract did. Such a
/// responder gets the same <see cref="MemoryPressureChange"/> as on a return to Normal: its
/// <see cref="MemoryPressureChange.Level"/> is <see cref="PressureLevel.Normal"/>, its
/// <see cref="MemoryPressureChange.PreviousLevel"/> the level in force, its snapshot the last published
/// figures, and its <see cref="MemoryPressureChange.Contract"/> the contract it acted under. Built-in
/// responders that leave nothing in force (<c>alert</c>, <c>trim_caches</c>, <c>compact_gc</c>,
/// <c>snapshot</c>) are not called; for <c>tighten_gc</c> and <c>quiet_logs</c> the guard also restores
/// the GC settings and log levels itself, so a failing responder cannot leave them changed; a switch to
/// shadow releases the <c>gc_trigger_ratio</c> tightening too. A responder a new contract starts naming
/// for the current level first runs on the next level change.
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
    private readonly ILogger _logger;
    private readonly Dictionary<string, IMemoryPressureResponder> _responders;

    private ContractPlan _plan;
    private ContractPlan? _pending;
    private PendingUndo? _undo;
    private GuardState _state;
    private long[] _owned;

    private bool _forcePublish = true;
    private PressureLevel _publishedLevel;
    private PressureLevel _publishedProcessLevel;
    private PressureLevel[] _publishedModuleLevels;
    private int[] _publishedModuleHeapPercents;
    private int _publishedUsage = -1;
    private int _publishedShedPercent = -1;
    private long _publishedBudget = -1;
    private bool _triggerTightened;
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
        _logger = logger;

        // Later registrations win, so a user's responder can replace a built-in one of the same name.
        _responders = new Dictionary<string, IMemoryPressureResponder>(StringComparer.Ordinal);
        foreach (var responder in responders)
        {
            _responders[responder.Name] = responder;
        }

        // The monitor compiled the contract in force for the first snapshot: enforce that same plan.
        _plan = monitor.Current.Plan;
        MemoryContractValidator.EnsureRespondersKnown(_plan.Contract, _responders.Keys);
        _state = new GuardState(_plan.Modules.Length);
        _owned = new long[_plan.Modules.Length];
        _publishedModuleLevels = new PressureLevel[_plan.Modules.Length];
        _publishedModuleHeapPercents = new int[_plan.Modules.Length];
        source.Changed += OnContractChanged;
    }

    /// <summary>Gets the compiled contract the guard enforces now.</summary>
    internal ContractPlan Plan => _plan;

    /// <summary>Gets the grading state (for tests and diagnostics).</summary>
    internal GuardState State => _state;

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

    /// <summary>Restores the GC and logging settings the responders changed.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await base.StopAsync(cancellationToken).ConfigureAwait(false);
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
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_plan.Contract.SamplingInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await TickAsync(stoppingToken).ConfigureAwait(false);
                var interval = _plan.Contract.SamplingInterval;
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

    /// <summary>One tick: sample, grade, and react to what changed. Never throws (but for cancellation).</summary>
    internal async ValueTask TickAsync(CancellationToken cancellationToken)
    {
        try
        {
            var changed = SampleAndGrade();
            if (_undo is { } undo)
            {
                _undo = null;
                await UndoAsync(undo, cancellationToken).ConfigureAwait(false);
            }

            if (changed)
            {
                await ReactAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
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
    /// Samples and grades; returns whether anything visible changed (a snapshot must be published).
    /// Allocation-free when nothing changed.
    /// </summary>
    internal bool SampleAndGrade()
    {
        ApplyPendingContract();
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

        _trimmables.ComputeOwned(_plan, _owned);
        PressureEvaluator.Evaluate(_state, _plan, sample, _time.GetTimestamp(), _time.TimestampFrequency, _owned);
        _monitor.RecordSample(_time.GetUtcNow(), _state.ProcessHeapRatio, _state.AllocRateBytesPerSecond);
        _metrics.SampleTook(Stopwatch.GetElapsedTime(started).TotalSeconds);
        return NeedsPublish();
    }

    private bool NeedsPublish()
    {
        if (_forcePublish
            || _state.Overall != _publishedLevel
            || _state.ProcessLadder.Level != _publishedProcessLevel
            || UsagePercent() != _publishedUsage
            || ShedPercent() != _publishedShedPercent
            || _state.ProcessBudgetBytes != _publishedBudget)
        {
            return true;
        }

        for (var i = 0; i < _publishedModuleLevels.Length; i++)
        {
            if (_state.ModuleLadders[i].Level != _publishedModuleLevels[i] || Percent(_state.ModuleHeapRatios[i]) != _publishedModuleHeapPercents[i])
            {
                return true;
            }
        }

        return false;
    }

    private async ValueTask ReactAsync(CancellationToken cancellationToken)
    {
        var previousLevel = _publishedLevel;
        var previousProcessLevel = _publishedProcessLevel;
        var snapshot = Publish();

        if (_state.PredictedCritical && snapshot.ProcessLevel == PressureLevel.Critical && previousProcessLevel != PressureLevel.Critical)
        {
            GuardLog.PredictedCritical(_logger, _state.HeapBytes, snapshot.UsagePercent, _plan.Contract.Escalation.Consecutive.Critical);
        }

        ApplyGcTrigger();

        if (snapshot.Level != previousLevel)
        {
            await RunRespondersAsync(previousLevel, snapshot, cancellationToken).ConfigureAwait(false);
        }
    }

    private MemoryPressureSnapshot Publish()
    {
        var modules = new ModulePressure[_plan.Modules.Length];
        for (var i = 0; i < modules.Length; i++)
        {
            var level = _state.ModuleLadders[i].Level;
            modules[i] = new ModulePressure(_plan.Modules[i].Name, level, _state.ModuleHeapRatios[i], _state.ModuleAllocRatios[i], _state.ModulePauseRatios[i]);
            if (level != _publishedModuleLevels[i])
            {
                _metrics.LevelChanged(_plan.Modules[i].Name, level);
                GuardLog.ModuleLevelChanged(_logger, _plan.Modules[i].Name, _publishedModuleLevels[i], level, _state.ModuleHeapRatios[i]);
            }

            _publishedModuleLevels[i] = level;
            _publishedModuleHeapPercents[i] = Percent(_state.ModuleHeapRatios[i]);
        }

        var processLevel = _state.ProcessLadder.Level;
        if (processLevel != _publishedProcessLevel)
        {
            _metrics.LevelChanged(MemoryContractsMetricNames.ProcessModule, processLevel);
        }

        var snapshot = new MemoryPressureSnapshot(_state.Overall, UsagePercent(), _state.ProcessBudgetBytes, _time.GetUtcNow(), modules)
        {
            ProcessLevel = processLevel,
            HeapBytes = _state.HeapBytes,
            HeapRatio = _state.ProcessHeapRatio,
            ShedFraction = PressureEvaluator.ShedFraction(_plan, _state.Overall, _state.ProcessHeapRatio),
            WouldShedFraction = PressureEvaluator.WouldShedFraction(_plan, _state.Overall, _state.ProcessHeapRatio),
            Plan = _plan,
        };

        _monitor.Publish(snapshot);
        _forcePublish = false;
        _publishedLevel = snapshot.Level;
        _publishedProcessLevel = processLevel;
        _publishedUsage = snapshot.UsagePercent;
        _publishedShedPercent = Percent(snapshot.WouldShedFraction);
        _publishedBudget = snapshot.CapacityBytes;
        return snapshot;
    }

    private async ValueTask RunRespondersAsync(PressureLevel previousLevel, MemoryPressureSnapshot snapshot, CancellationToken cancellationToken)
    {
        // The new level's responders act; the previous level's are told too, so they can undo; and on
        // the return to Normal every named responder is told, so nothing stays tightened or quieted.
        var contract = _plan.Contract;
        var responses = contract.Responses;
        var names = (snapshot.Level == PressureLevel.Normal
                ? responses.Elevated.Concat(responses.High).Concat(responses.Critical)
                : responses.For(snapshot.Level).Concat(responses.For(previousLevel)))
            .Distinct(StringComparer.Ordinal)
            .ToList();

        if (contract.Mode == MemoryContractMode.Shadow)
        {
            if (!_logger.IsEnabled(LogLevel.Warning))
            {
                return;
            }

            var wouldRun = string.Join(", ", contract.Responses.For(snapshot.Level));
            GuardLog.ShadowTransition(_logger, previousLevel, snapshot.Level, snapshot.UsagePercent, wouldRun);
            return;
        }

        var change = new MemoryPressureChange(previousLevel, snapshot, contract);
        foreach (var name in names)
        {
            await RunResponderAsync(name, change, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs one responder, isolated: a throw is logged and counted (cancellation on shutdown goes through).</summary>
    private async ValueTask RunResponderAsync(string name, MemoryPressureChange change, CancellationToken cancellationToken)
    {
        if (!_responders.TryGetValue(name, out var responder))
        {
            return;
        }

        try
        {
            await responder.OnLevelChangedAsync(change, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception)
        {
            _metrics.ResponderFailed(name);
            GuardLog.ResponderFailed(_logger, name, change.Level, exception);
        }
    }

    /// <summary>
    /// Tells the responders a new contract stopped running to undo, as on a return to Normal (see the
    /// remarks on the class), then restores what the built-in ones change, whatever they did.
    /// </summary>
    private async ValueTask UndoAsync(PendingUndo undo, CancellationToken cancellationToken)
    {
        var contract = _plan.Contract;
        if (_logger.IsEnabled(LogLevel.Information))
        {
#pragma warning disable CA1873 // Guarded by IsEnabled just above.
            GuardLog.RespondersUndone(_logger, contract.Version, contract.Mode, string.Join(", ", undo.Names), undo.Level);
#pragma warning restore CA1873
        }

        var last = _monitor.Current;
        var normal = new MemoryPressureSnapshot(PressureLevel.Normal, last.UsagePercent, last.CapacityBytes, last.Timestamp, last.Modules)
        {
            ProcessLevel = last.ProcessLevel,
            HeapBytes = last.HeapBytes,
            HeapRatio = last.HeapRatio,
            ShedFraction = 0,
            Plan = last.Plan,
        };
        var change = new MemoryPressureChange(undo.Level, normal, undo.Contract);
        try
        {
            foreach (var name in undo.Names)
            {
                await RunResponderAsync(name, change, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (undo.Names.Contains(BuiltInResponders.TightenGc, StringComparer.Ordinal) && _gc.Release(TighteningReasons.Level))
            {
                ResponsesLog.GcRestored(_logger, _gc.LatencyMode);
            }

            if (undo.Names.Contains(BuiltInResponders.QuietLogs, StringComparer.Ordinal) && _quietLogs.Restore())
            {
                ResponsesLog.LogsRestored(_logger);
            }
        }
    }

    /// <summary>
    /// The responders in force under <paramref name="old"/> at <paramref name="level"/> that
    /// <paramref name="next"/> stops running (see the remarks on the class); none at Normal or from shadow.
    /// </summary>
    internal static string[] StoppedResponders(ContractPlan old, ContractPlan next, PressureLevel level)
    {
        var was = old.Contract.Responses;
        if (level == PressureLevel.Normal || old.Contract.Mode == MemoryContractMode.Shadow)
        {
            return [];
        }

        var now = next.Contract.Responses;
        var shadow = next.Contract.Mode == MemoryContractMode.Shadow;
        var named = new HashSet<string>(now.Elevated.Concat(now.High).Concat(now.Critical), StringComparer.Ordinal);
        return [.. was.Elevated.Concat(was.High).Concat(was.Critical)
            .Distinct(StringComparer.Ordinal)
            .Where(name => !BuiltInResponders.LeavesNothingToUndo(name)
                && (shadow
                    || !named.Contains(name)
                    || (was.For(level).Contains(name, StringComparer.Ordinal) && !now.For(level).Contains(name, StringComparer.Ordinal))))];
    }

    private void ApplyGcTrigger()
    {
        if (_plan.Contract.Mode == MemoryContractMode.Shadow)
        {
            ReleaseGcTrigger();
            return;
        }

        var breached = _plan.ProcessGcTriggerRatio > 0 && _state.ProcessHeapRatio >= _plan.ProcessGcTriggerRatio;
        for (var i = 0; i < _plan.Modules.Length && !breached; i++)
        {
            breached = _plan.Modules[i].GcTriggerRatio is { } trigger && _state.ModuleHeapRatios[i] >= trigger;
        }

        if (breached && !_triggerTightened)
        {
            _triggerTightened = true;
            if (_gc.Tighten(TighteningReasons.Trigger))
            {
                GuardLog.GcTriggerTightened(_logger);
            }
        }
        else if (!breached)
        {
            ReleaseGcTrigger();
        }
    }

    private void ReleaseGcTrigger()
    {
        if (!_triggerTightened)
        {
            return;
        }

        _triggerTightened = false;
        if (_gc.Release(TighteningReasons.Trigger))
        {
            GuardLog.GcTriggerReleased(_logger);
        }
    }

    private void OnContractChanged(MemoryContract contract)
    {
        try
        {
            Volatile.Write(ref _pending, Compile(contract));
            GuardLog.ContractApplied(_logger, contract.Version, contract.Modules.Count);
        }
        catch (MemoryContractException exception)
        {
            GuardLog.ContractRejected(_logger, exception);
        }
    }

    private void ApplyPendingContract()
    {
        var pending = Interlocked.Exchange(ref _pending, null);
        if (pending is null)
        {
            return;
        }

        _state = GuardState.Carry(_state, _plan, pending);
        var carriedLevels = new PressureLevel[pending.Modules.Length];
        for (var i = 0; i < carriedLevels.Length; i++)
        {
            carriedLevels[i] = _state.ModuleLadders[i].Level;
        }

        if (StoppedResponders(_plan, pending, _publishedLevel) is { Length: > 0 } stopped)
        {
            // Told on this tick, right after grading (TickAsync); merged if a second contract came first.
            _undo = _undo is { } earlier
                ? earlier with { Names = [.. earlier.Names.Union(stopped, StringComparer.Ordinal)] }
                : new PendingUndo(stopped, _plan.Contract, _publishedLevel);
        }

        if (pending.Contract.Mode == MemoryContractMode.Shadow)
        {
            ReleaseGcTrigger();
        }

        _plan = pending;
        _owned = new long[pending.Modules.Length];
        _publishedModuleLevels = carriedLevels;
        _publishedModuleHeapPercents = new int[pending.Modules.Length];
        _forcePublish = true;
    }

    private ContractPlan Compile(MemoryContract contract)
    {
        MemoryContractValidator.EnsureRespondersKnown(contract, _responders.Keys);
        return new ContractPlan(contract);
    }

    private int UsagePercent() => Percent(_state.ProcessHeapRatio);

    // What would be shed, whatever the mode: shadow publishes when it changes, as enforce does.
    private int ShedPercent() => Percent(PressureEvaluator.WouldShedFraction(_plan, _state.Overall, _state.ProcessHeapRatio));

    /// <summary>Responders to tell to undo, with the contract they acted under and the level that was in force.</summary>
    private sealed record PendingUndo(string[] Names, MemoryContract Contract, PressureLevel Level);

    private static int Percent(double ratio) => ratio >= int.MaxValue / 100.0 ? int.MaxValue : (int)Math.Round(ratio * 100, MidpointRounding.AwayFromZero);
}
