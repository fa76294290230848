namespace MemoryContracts;

/// <summary>
/// The names under which <see cref="MemoryContractsReverseProxyBuilderExtensions.AddMemoryContractsBalancing"/>
/// registers its YARP policies, for a cluster's <c>LoadBalancingPolicy</c>, <c>HealthCheck.Passive.Policy</c> and
/// <c>HealthCheck.Active.Policy</c>.
/// </summary>
public static class MemoryPressurePolicyNames
{
    /// <summary>
    /// <c>MemoryPressure</c>: the name of the load-balancing policy (prefer the least pressured
    /// destination), the passive health policy (a destination that sheds with <c>Retry-After</c> is
    /// unhealthy for that long) and the active health policy (consecutive failed probes make a destination
    /// unhealthy; every probe answer also reports its usage).
    /// </summary>
    public const string MemoryPressure = "MemoryPressure";
}
