using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace MemoryContracts;

/// <summary>
/// The <c>MemoryPressure</c> load-balancing policy: power of two random choices between the available
/// destinations, the one reporting less (faded) usage winning; two within
/// <see cref="MemoryPressureBalancingOptions.UsageTolerancePercent"/> of each other (a destination that
/// never reported counts as 0 %) go to the one with fewer requests in flight. Destinations that are
/// shedding (inside their <c>Retry-After</c>) or whose fresh report is above
/// <see cref="MemoryPressureBalancingOptions.MaxUsagePercent"/> are skipped while another is not.
/// Allocates nothing.
/// </summary>
internal sealed class MemoryPressureLoadBalancingPolicy : ILoadBalancingPolicy
{
    private readonly DestinationUsageStore _store;
    private readonly IOptionsMonitor<MemoryPressureBalancingOptions> _options;
    private readonly TimeProvider _time;
    private readonly Random _random;

    public MemoryPressureLoadBalancingPolicy(DestinationUsageStore store, IOptionsMonitor<MemoryPressureBalancingOptions> options, TimeProvider time)
        : this(store, options, time, Random.Shared)
    {
    }

    internal MemoryPressureLoadBalancingPolicy(DestinationUsageStore store, IOptionsMonitor<MemoryPressureBalancingOptions> options, TimeProvider time, Random random)
    {
        _store = store;
        _options = options;
        _time = time;
        _random = random;
    }

    public string Name => MemoryPressurePolicyNames.MemoryPressure;

    public DestinationState? PickDestination(HttpContext context, ClusterState cluster, IReadOnlyList<DestinationState> availableDestinations)
    {
        ArgumentNullException.ThrowIfNull(availableDestinations);
        var count = availableDestinations.Count;
        if (count <= 1)
        {
            return count == 0 ? null : availableDestinations[0];
        }

        var options = _options.CurrentValue;
        var now = _time.GetTimestamp();
        var avoided = 0;
        for (var i = 0; i < count; i++)
        {
            if (IsAvoided(availableDestinations[i], now, options))
            {
                avoided++;
            }
        }

        // Skip the avoided ones only while some are not; when all are, choose among all.
        var skip = avoided > 0 && avoided < count;
        var candidates = skip ? count - avoided : count;
        if (candidates == 1)
        {
            return Candidate(availableDestinations, 0, skip, now, options);
        }

        var first = _random.Next(candidates);
        var second = _random.Next(candidates - 1);
        if (second >= first)
        {
            second++;
        }

        var a = Candidate(availableDestinations, first, skip, now, options);
        var b = Candidate(availableDestinations, second, skip, now, options);
        return Prefer(a, b, now, options);
    }

    /// <summary>The better of two destinations (<paramref name="a"/> on a full tie).</summary>
    internal DestinationState Prefer(DestinationState a, DestinationState b, long now, MemoryPressureBalancingOptions options)
    {
        var usageA = FadedUsage(a, now, options);
        var usageB = FadedUsage(b, now, options);
        if (Math.Abs(usageA - usageB) > options.UsageTolerancePercent)
        {
            return usageA < usageB ? a : b;
        }

        return b.ConcurrentRequestCount < a.ConcurrentRequestCount ? b : a;
    }

    /// <summary>
    /// The destination's last reported usage, halved for every <see cref="MemoryPressureBalancingOptions.ReportHalfLife"/>
    /// since it was made; 0 when it never reported.
    /// </summary>
    internal double FadedUsage(DestinationState destination, long now, MemoryPressureBalancingOptions options)
    {
        var usage = _store.Find(destination);
        if (usage is null || !usage.HasReport)
        {
            return 0;
        }

        var age = _time.GetElapsedTime(usage.ReportedAt, now);
        var halfLives = Math.Max(0, age / options.ReportHalfLife);
        return usage.UsagePercent * Math.Pow(2, -halfLives);
    }

    /// <summary>
    /// Whether the destination is shedding (inside its <c>Retry-After</c>) or its report, no older than
    /// one half-life, is above <see cref="MemoryPressureBalancingOptions.MaxUsagePercent"/>.
    /// </summary>
    internal bool IsAvoided(DestinationState destination, long now, MemoryPressureBalancingOptions options)
    {
        var usage = _store.Find(destination);
        if (usage is null)
        {
            return false;
        }

        if (usage.RejectionRemaining(now, _time) > TimeSpan.Zero)
        {
            return true;
        }

        return usage.HasReport
            && usage.UsagePercent > options.MaxUsagePercent
            && _time.GetElapsedTime(usage.ReportedAt, now) <= options.ReportHalfLife;
    }

    /// <summary>The <paramref name="index"/>-th destination, counting only those not avoided when <paramref name="skip"/>.</summary>
    private DestinationState Candidate(IReadOnlyList<DestinationState> destinations, int index, bool skip, long now, MemoryPressureBalancingOptions options)
    {
        if (!skip)
        {
            return destinations[index];
        }

        var remaining = index;
        for (var i = 0; i < destinations.Count; i++)
        {
            var destination = destinations[i];
            if (!IsAvoided(destination, now, options) && remaining-- == 0)
            {
                return destination;
            }
        }

        // The avoided set changed under us (a report arrived meanwhile): any destination will do.
        return destinations[index % destinations.Count];
    }
}
