namespace MemoryContracts;

/// <summary>
/// Marks the endpoints of <c>MapMemoryContractsDashboard</c>: they belong to no module and need none,
/// so <c>strict_endpoints</c> does not count them as unclaimed (<see cref="EndpointChecks.Unclaimed"/>).
/// </summary>
internal sealed class DashboardEndpointMetadata
{
    private DashboardEndpointMetadata()
    {
    }

    /// <summary>Gets the one instance every dashboard endpoint carries.</summary>
    public static DashboardEndpointMetadata Instance { get; } = new();
}
