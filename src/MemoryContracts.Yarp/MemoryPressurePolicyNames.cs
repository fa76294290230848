namespace MemoryContracts;

/// <summary>
/// The names under which <see cref="MemoryContractsReverseProxyBuilderExtensions.AddMemoryContractsBalancing"/>
/// registers its YARP policies, for a cluster's <c>LoadBalancingPolicy</c> and <c>HealthCheck.Passive.Policy</c>.
/// </summary>
public static class MemoryPressurePolicyNames
{
    /// <summary>
    /// <c>MemoryPressure</c>: the name of both the load-balancing policy (prefer the least pressured
    /// destination) and the passive health policy (a destination that sheds with <c>Retry-After</c> is
    /// unhealthy for that long).
    /// </summary>
    public const string MemoryPressure = "MemoryPressure";
}
