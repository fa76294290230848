using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;

namespace MemoryContracts;

/// <summary>
/// The downstream authorities (<c>host:port</c>) currently isolated for reporting memory pressure,
/// each with a Polly circuit breaker held open by a <see cref="CircuitBreakerManualControl"/> and
/// closed by a timer of the injected <see cref="TimeProvider"/>. Only isolated authorities are kept
/// (an entry is removed when its window ends) and at most <see cref="MaxIsolated"/> at once, so a
/// caller talking to many hosts cannot grow it without limit. The not-isolated path is one volatile read.
/// </summary>
internal sealed class DownstreamBackoff : IDisposable
{
    /// <summary>The most authorities isolated at once; further ones are logged and not isolated.</summary>
    public const int MaxIsolated = 1024;

    private const int MaxStackAuthority = 512;

    private readonly ConcurrentDictionary<string, IsolatedDownstream> _isolated = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, IsolatedDownstream>.AlternateLookup<ReadOnlySpan<char>> _isolatedBySpan;
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly MemoryContractsMetrics _metrics;
    private readonly ILogger _logger;
    private int _count;
    private bool _disposed;

    public DownstreamBackoff(TimeProvider time, MemoryContractsMetrics metrics, ILogger<DownstreamBackoff> logger)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(logger);
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _isolatedBySpan = _isolated.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Gets a value indicating whether any authority is isolated (a volatile read; the steady-state check).</summary>
    public bool AnyIsolated => Volatile.Read(ref _count) != 0;

    /// <summary>Gets how many authorities are isolated.</summary>
    public int IsolatedCount => Volatile.Read(ref _count);

    /// <summary>The key of a request's downstream: <c>host:port</c> (IPv6 hosts in brackets).</summary>
    public static string AuthorityOf(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return string.Create(CultureInfo.InvariantCulture, $"{uri.Host}:{uri.Port}");
    }

    /// <summary>Gets a value indicating whether <paramref name="authority"/> (<c>host:port</c>) is isolated.</summary>
    public bool IsIsolated(string authority) => _isolated.ContainsKey(authority);

    /// <summary>Finds the isolation of a request's downstream without allocating.</summary>
    public bool TryGetIsolated(Uri uri, [NotNullWhen(true)] out IsolatedDownstream? downstream)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var host = uri.Host;
        if (host.Length > MaxStackAuthority)
        {
            return _isolated.TryGetValue(AuthorityOf(uri), out downstream);
        }

        Span<char> buffer = stackalloc char[MaxStackAuthority + 12];
        host.CopyTo(buffer);
        buffer[host.Length] = ':';
        uri.Port.TryFormat(buffer[(host.Length + 1)..], out var written, default, CultureInfo.InvariantCulture);
        return _isolatedBySpan.TryGetValue(buffer[..(host.Length + 1 + written)], out downstream);
    }

    /// <summary>
    /// Isolates <paramref name="authority"/> for <paramref name="window"/> (already clamped), or
    /// extends a running isolation that would end sooner.
    /// </summary>
    public void Isolate(string authority, TimeSpan window, int statusCode, int usagePercent)
    {
        ArgumentNullException.ThrowIfNull(authority);
        var now = _time.GetUtcNow();
        var until = now + window;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            if (_isolated.TryGetValue(authority, out var existing))
            {
                if (until > existing.Until)
                {
                    existing.Until = until;
                    existing.Timer?.Change(window, Timeout.InfiniteTimeSpan);
                    PropagationLog.DownstreamIsolationExtended(_logger, authority, window.TotalSeconds);
                }

                return;
            }

            if (_isolated.Count >= MaxIsolated)
            {
                PropagationLog.DownstreamIsolationCapacityReached(_logger, authority, MaxIsolated);
                return;
            }

            var control = new CircuitBreakerManualControl(isIsolated: true);
            var pipeline = new ResiliencePipelineBuilder { TimeProvider = _time, Name = "MemoryContracts.DownstreamBackoff", InstanceName = authority }
                .AddCircuitBreaker(new CircuitBreakerStrategyOptions
                {
                    // Only the manual control opens this breaker: results never count as failures.
                    ManualControl = control,
                    ShouldHandle = static _ => PredicateResult.False(),
                })
                .Build();
            var entry = new IsolatedDownstream(authority, pipeline, control, now, until);

            // The timer must not hold on to the request's execution context.
            using (ExecutionContext.SuppressFlow())
            {
                entry.Timer = _time.CreateTimer(state => Restore((IsolatedDownstream)state!), entry, window, Timeout.InfiniteTimeSpan);
            }

            _isolated[authority] = entry;
            Interlocked.Increment(ref _count);
        }

        _metrics.DownstreamIsolated(authority);
        PropagationLog.DownstreamIsolated(_logger, authority, statusCode, usagePercent, window.TotalSeconds);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            foreach (var entry in _isolated.Values)
            {
                entry.Timer?.Dispose();
            }

            _isolated.Clear();
            Volatile.Write(ref _count, 0);
        }
    }

    private void Restore(IsolatedDownstream entry)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (!_isolated.TryGetValue(entry.Authority, out var current) || !ReferenceEquals(current, entry))
            {
                return;
            }

            if (now < entry.Until)
            {
                // Extended while this callback was on its way.
                entry.Timer?.Change(entry.Until - now, Timeout.InfiniteTimeSpan);
                return;
            }

            _isolated.TryRemove(entry.Authority, out _);
            Interlocked.Decrement(ref _count);
            entry.Timer?.Dispose();
        }

        PropagationLog.DownstreamRestored(_logger, entry.Authority, (now - entry.Since).TotalSeconds);
        _ = CloseAsync(entry);
    }

    private async Task CloseAsync(IsolatedDownstream entry)
    {
        try
        {
            // Calls that found the entry just before its removal pass through once the circuit closes.
            await entry.Control.CloseAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            PropagationLog.RestoreFailed(_logger, entry.Authority, ex);
        }
    }
}
