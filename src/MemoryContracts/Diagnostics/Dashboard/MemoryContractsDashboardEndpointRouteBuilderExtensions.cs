using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts;

/// <summary>
/// Maps the MemoryContracts dashboard: a live view of the guard for operators.
/// </summary>
public static class MemoryContractsDashboardEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>GET {pattern}</c>, a self-contained HTML page (no external script, style or font) that
    /// plots, live, the heap and the working set against their budgets, each module's ratio against
    /// the level thresholds, the level and the shed rate, and lists the last level changes; and
    /// <c>GET {pattern}/history</c>, the last 10 minutes of snapshots as JSON (oldest first, the last
    /// being the snapshot in force at the time of the request; <c>?since=</c> a timestamp returns only
    /// the points from then). Recording starts when this is called. Both answer only callers whose
    /// address is in <c>propagation.trusted_networks</c> (403 otherwise, and for a request relayed by a
    /// proxy for an address outside them); they are never shed. Add authentication as for any endpoint:
    /// <c>app.MapMemoryContractsDashboard().RequireAuthorization("ops")</c>.
    /// </summary>
    /// <param name="endpoints">The endpoint route builder (the <c>WebApplication</c>, or a route group).</param>
    /// <param name="pattern">The page's route. The default value is <c>/memory-contracts</c>.</param>
    /// <returns>A builder for both endpoints, to add conventions such as <c>RequireAuthorization</c>.</returns>
    /// <exception cref="InvalidOperationException"><c>AddMemoryContracts</c> was not called on the services.</exception>
    public static IEndpointConventionBuilder MapMemoryContractsDashboard(this IEndpointRouteBuilder endpoints, string pattern = "/memory-contracts")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(pattern);
        var services = endpoints.ServiceProvider;
        if (services.GetService(typeof(MemoryContractsMarker)) is null)
        {
            throw new InvalidOperationException(
                "Unable to find the required services. Call 'builder.Services.AddMemoryContracts()' before 'app.MapMemoryContractsDashboard()'.");
        }

        var handlers = new DashboardEndpoints(services, DashboardHistory.For(services), services.GetRequiredService<IMemoryPressure>());
        var group = endpoints.MapGroup(pattern);
        group.MapGet(string.Empty, (RequestDelegate)handlers.ServePageAsync).WithDisplayName("MemoryContracts dashboard");
        group.MapGet("/history", (RequestDelegate)handlers.ServeHistoryAsync).WithDisplayName("MemoryContracts dashboard history");
        group.WithMetadata(DashboardEndpointMetadata.Instance);
        group.DisableMemoryShedding();
        group.ExcludeFromDescription();
        return group;
    }
}
