using Microsoft.Extensions.Logging;

namespace MemoryContracts;

/// <summary>
/// Runs responders off the sampling loop. <see cref="Dispatch"/> returns at once; each responder has
/// its own lane: one run at a time, under a deadline (<c>responses.timeout_seconds</c>), and while a
/// run is busy, the newest change waits in its place (a newer one replaces an older one). A run that
/// throws or passes its deadline is logged and counted; the lane stays busy until the run really
/// ends, so a responder is never running twice at once.
/// </summary>
internal sealed class ResponderDispatcher : IAsyncDisposable
{
    private readonly IReadOnlyDictionary<string, IMemoryPressureResponder> _responders;
    private readonly Dictionary<string, Lane> _lanes = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly MemoryContractsMetrics _metrics;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();

    public ResponderDispatcher(IReadOnlyDictionary<string, IMemoryPressureResponder> responders, TimeProvider time, MemoryContractsMetrics metrics, ILogger logger)
    {
        _responders = responders;
        _time = time;
        _metrics = metrics;
        _logger = logger;
    }

    /// <summary>Gets the responders by name (later registrations having replaced earlier ones).</summary>
    public IReadOnlyDictionary<string, IMemoryPressureResponder> Responders => _responders;

    /// <summary>
    /// Hands <paramref name="change"/> to each named responder's lane and returns without waiting.
    /// Names without a registered responder are skipped (the contract was checked against them).
    /// </summary>
    public void Dispatch(MemoryPressureChange change, IEnumerable<string> names, TimeSpan deadline)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(names);
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            foreach (var name in names)
            {
                if (!_responders.TryGetValue(name, out var responder))
                {
                    continue;
                }

                if (!_lanes.TryGetValue(name, out var lane))
                {
                    lane = new Lane(name, responder);
                    _lanes.Add(name, lane);
                }

                if (lane.Running is null)
                {
                    lane.Running = RunAsync(lane, change, deadline);
                }
                else
                {
                    if (lane.Pending is not null)
                    {
                        GuardLog.ResponderChangeReplaced(_logger, name, lane.Pending.Level, change.Level);
                    }

                    lane.Pending = change;
                    lane.PendingDeadline = deadline;
                }
            }
        }
    }

    /// <summary>Gets whether any responder run is busy or waiting (for tests and shutdown).</summary>
    public bool IsIdle
    {
        get
        {
            lock (_gate)
            {
                return _lanes.Values.All(l => l.Running is null);
            }
        }
    }

    /// <summary>Waits for the busy runs (and what waits behind them) to end, at most until <paramref name="cancellationToken"/>.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task[] running;
            lock (_gate)
            {
                running = [.. _lanes.Values.Select(l => l.Running).OfType<Task>()];
            }

            if (running.Length == 0)
            {
                return;
            }

            await Task.WhenAll(running).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Refuses new runs, cancels the running responders' tokens and waits for them to end, at most
    /// until <paramref name="cancellationToken"/> (the host's shutdown timeout): a responder that
    /// ignores its token is left behind.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Cancel();
        try
        {
            await DrainAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Same as <see cref="Cancel"/>.</summary>
    public ValueTask DisposeAsync()
    {
        Cancel();
        return ValueTask.CompletedTask;
    }

    /// <summary>Refuses new runs and cancels the running responders' tokens, without waiting.</summary>
    public void Cancel()
    {
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            _stopping.Cancel();
            foreach (var lane in _lanes.Values)
            {
                lane.Pending = null;
            }
        }
    }

    private async Task RunAsync(Lane lane, MemoryPressureChange change, TimeSpan deadline)
    {
        // Off the caller's thread at once: a responder that blocks synchronously must not hold the loop.
        await Task.Yield();
        while (true)
        {
            await RunOnceAsync(lane, change, deadline).ConfigureAwait(false);
            lock (_gate)
            {
                if (lane.Pending is null || _stopping.IsCancellationRequested)
                {
                    lane.Pending = null;
                    lane.Running = null;
                    return;
                }

                change = lane.Pending;
                deadline = lane.PendingDeadline;
                lane.Pending = null;
            }
        }
    }

    private async Task RunOnceAsync(Lane lane, MemoryPressureChange change, TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _stopping.Token);
        Task run;
        try
        {
            run = lane.Responder.OnLevelChangedAsync(change, linked.Token).AsTask();
        }
        catch (Exception exception)
        {
            Failed(lane.Name, change, exception);
            return;
        }

        try
        {
            await run.WaitAsync(deadline, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _metrics.ResponderFailed(lane.Name, MemoryContractsMetricNames.TimeoutOutcome);
            GuardLog.ResponderTimedOut(_logger, lane.Name, change.Level, deadline.TotalSeconds);

            // The run was told to stop (its token); the lane stays busy until it really ends, so the
            // responder never runs twice at once. A change that comes meanwhile waits behind it.
            await WaitQuietlyAsync(run).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            Failed(lane.Name, change, exception);
        }
    }

    private static async Task WaitQuietlyAsync(Task run)
    {
        try
        {
            await run.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Already reported as a timeout.
        }
    }

    private void Failed(string name, MemoryPressureChange change, Exception exception)
    {
        _metrics.ResponderFailed(name, MemoryContractsMetricNames.FailureOutcome);
        GuardLog.ResponderFailed(_logger, name, change.Level, exception);
    }

    private sealed class Lane(string name, IMemoryPressureResponder responder)
    {
        public string Name { get; } = name;

        public IMemoryPressureResponder Responder { get; } = responder;

        public Task? Running { get; set; }

        public MemoryPressureChange? Pending { get; set; }

        public TimeSpan PendingDeadline { get; set; }
    }
}
