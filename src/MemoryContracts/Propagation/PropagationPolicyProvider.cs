using Microsoft.Extensions.Logging;

namespace MemoryContracts;

/// <summary>
/// The <see cref="CompiledPropagationPolicy"/> in force: the one of the plan behind the published
/// snapshot, so headers, trust and backoff switch with everything else at the guard's publish. A
/// request that already holds a snapshot takes <c>snapshot.Plan.Propagation</c> instead (one read).
/// An <c>outbound_hosts</c> entry naming a cloud metadata service is logged when its plan comes into
/// force (it is never honoured).
/// </summary>
internal sealed class PropagationPolicyProvider : IDisposable
{
    private readonly MemoryPressureMonitor _monitor;
    private readonly ILogger _logger;
    private readonly IDisposable _subscription;
    private readonly Lock _gate = new();
    private CompiledPropagationPolicy _warned;

    public PropagationPolicyProvider(MemoryPressureMonitor monitor, ILogger<PropagationPolicyProvider> logger)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        ArgumentNullException.ThrowIfNull(logger);
        _monitor = monitor;
        _logger = logger;
        _warned = monitor.Current.Plan.Propagation;
        WarnAboutIgnoredEntries(_warned);
        _subscription = monitor.OnChange(OnPublished);
    }

    /// <summary>Gets the policy in force (a volatile read of the current snapshot).</summary>
    public CompiledPropagationPolicy Current => _monitor.Current.Plan.Propagation;

    public void Dispose() => _subscription.Dispose();

    private void OnPublished(MemoryPressureSnapshot snapshot)
    {
        var policy = snapshot.Plan.Propagation;
        lock (_gate)
        {
            if (ReferenceEquals(policy, _warned))
            {
                return;
            }

            _warned = policy;
        }

        WarnAboutIgnoredEntries(policy);
    }

    private void WarnAboutIgnoredEntries(CompiledPropagationPolicy policy)
    {
        foreach (var entry in policy.OutboundHosts.MetadataEntries)
        {
            PropagationLog.CloudMetadataHostIgnored(_logger, entry);
        }
    }
}
