namespace MemoryContracts;

/// <summary>
/// The <see cref="CompiledPropagationPolicy"/> in force: the one of the plan behind the published
/// snapshot, so headers, trust and backoff switch with everything else at the guard's publish. A
/// request that already holds a snapshot takes <c>snapshot.Plan.Propagation</c> instead (one read).
/// </summary>
internal sealed class PropagationPolicyProvider
{
    private readonly MemoryPressureMonitor _monitor;

    public PropagationPolicyProvider(MemoryPressureMonitor monitor)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        _monitor = monitor;
    }

    /// <summary>Gets the policy in force (a volatile read of the current snapshot).</summary>
    public CompiledPropagationPolicy Current => _monitor.Current.Plan.Propagation;
}
