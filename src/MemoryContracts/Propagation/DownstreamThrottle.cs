using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Polly;

namespace MemoryContracts;

/// <summary>
/// Downstream backoff (DESIGN §13): client-side adaptive throttling per downstream authority
/// (<c>host:port</c>), so that behind a load-balanced name one shedding replica of several barely
/// changes anything, while an authority whose recent answers are mostly memory rejections gets calls
/// outside core requests refused locally in proportion, and back gradually as its answers turn to
/// accepts. Each authority called through the outbound handler gets a <see cref="ThrottledDownstream"/>
/// on its first call; at most <see cref="MaxAuthorities"/> are kept, an idle one (nothing in its window)
/// making room for a new one. The steady-state lookup is allocation-free. There are no timers: time
/// is read from the injected <see cref="TimeProvider"/> when calls are made.
/// </summary>
internal sealed class DownstreamThrottle
{
    /// <summary>The most authorities followed at once; calls to further ones go out untracked (logged once).</summary>
    public const int MaxAuthorities = 1024;

    private const int MaxStackAuthority = 512;

    private readonly ConcurrentDictionary<string, ThrottledDownstream> _downstreams = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, ThrottledDownstream>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private readonly Lock _gate = new();
    private readonly PropagationPolicyProvider _policy;
    private readonly TimeProvider _time;
    private readonly ThrottleRandom _random;
    private readonly MemoryContractsMetrics _metrics;
    private readonly ILogger _logger;
    private bool _capacityLogged;

    public DownstreamThrottle(PropagationPolicyProvider policy, TimeProvider time, ThrottleRandom random, MemoryContractsMetrics metrics, ILogger<DownstreamThrottle> logger)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(logger);
        _policy = policy;
        _time = time;
        _random = random;
        _metrics = metrics;
        _logger = logger;
        _bySpan = _downstreams.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Gets how many authorities are followed.</summary>
    public int Count => _downstreams.Count;

    /// <summary>The key of a request's downstream: <c>host:port</c> (IPv6 hosts in brackets).</summary>
    public static string AuthorityOf(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return string.Create(CultureInfo.InvariantCulture, $"{uri.Host}:{uri.Port}");
    }

    /// <summary>Finds the throttling of <paramref name="authority"/> (<c>host:port</c>), if it is followed.</summary>
    public bool TryGet(string authority, [NotNullWhen(true)] out ThrottledDownstream? downstream) => _downstreams.TryGetValue(authority, out downstream);

    /// <summary>
    /// The throttling of a request's downstream, created on its first call; <see langword="null"/> when
    /// <see cref="MaxAuthorities"/> busy authorities are already followed. Allocation-free once created.
    /// </summary>
    public ThrottledDownstream? For(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var host = uri.Host;
        if (host.Length <= MaxStackAuthority)
        {
            Span<char> buffer = stackalloc char[MaxStackAuthority + 12];
            host.CopyTo(buffer);
            buffer[host.Length] = ':';
            uri.Port.TryFormat(buffer[(host.Length + 1)..], out var written, default, CultureInfo.InvariantCulture);
            if (_bySpan.TryGetValue(buffer[..(host.Length + 1 + written)], out var found))
            {
                return found;
            }
        }

        return Add(uri);
    }

    private ThrottledDownstream? Add(Uri uri)
    {
        var authority = AuthorityOf(uri);
        lock (_gate)
        {
            if (_downstreams.TryGetValue(authority, out var existing))
            {
                return existing;
            }

            if (_downstreams.Count >= MaxAuthorities && !DropIdle())
            {
                if (!_capacityLogged)
                {
                    _capacityLogged = true;
                    PropagationLog.DownstreamThrottleCapacityReached(_logger, authority, MaxAuthorities);
                }

                return null;
            }

            var controller = new DownstreamThrottleController(authority, uri.IdnHost, uri.Port, _policy, _time, _random, _metrics, _logger);
            var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = _time, Name = "MemoryContracts.DownstreamThrottle", InstanceName = authority }
                .AddStrategy(context => new DownstreamThrottleStrategy(controller, context.Telemetry))
                .Build();
            var downstream = new ThrottledDownstream(controller, pipeline, uri.Host, uri.Port);
            _downstreams[authority] = downstream;
            return downstream;
        }
    }

    /// <summary>Drops every authority with nothing in its window; whether any was dropped.</summary>
    private bool DropIdle()
    {
        var dropped = false;
        foreach (var (authority, downstream) in _downstreams)
        {
            if (downstream.Controller.IsIdle && _downstreams.TryRemove(authority, out _))
            {
                downstream.Dropped = true;
                dropped = true;
            }
        }

        return dropped;
    }
}
