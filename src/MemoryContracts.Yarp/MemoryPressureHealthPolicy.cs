using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace MemoryContracts;

/// <summary>
/// The <c>MemoryPressure</c> passive health policy: a destination that answered 429 or 503 with
/// <c>X-Memory-Usage</c> and <c>Retry-After</c> (recorded by <see cref="MemoryHeadersResponseTransform"/>)
/// is passively unhealthy until that window ends; any other answer, outside such a window, makes it
/// healthy. A request that got no answer (a transport error) leaves its health as it was: that is for
/// the active health checks to judge.
/// </summary>
internal sealed class MemoryPressureHealthPolicy : IPassiveHealthCheckPolicy
{
    private readonly DestinationUsageStore _store;
    private readonly IDestinationHealthUpdater _healthUpdater;
    private readonly TimeProvider _time;

    public MemoryPressureHealthPolicy(DestinationUsageStore store, IDestinationHealthUpdater healthUpdater, TimeProvider time)
    {
        _store = store;
        _healthUpdater = healthUpdater;
        _time = time;
    }

    public string Name => MemoryPressurePolicyNames.MemoryPressure;

    public void RequestProxied(HttpContext context, ClusterState cluster, DestinationState destination)
    {
        ArgumentNullException.ThrowIfNull(context);
        var remaining = _store.Find(destination)?.RejectionRemaining(_time.GetTimestamp(), _time) ?? TimeSpan.Zero;
        if (remaining > TimeSpan.Zero)
        {
            _healthUpdater.SetPassive(cluster, destination, DestinationHealth.Unhealthy, remaining);
        }
        else if (context.Features.Get<IForwarderErrorFeature>() is null)
        {
            _healthUpdater.SetPassive(cluster, destination, DestinationHealth.Healthy, TimeSpan.Zero);
        }
    }
}
