using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MemoryContracts;

/// <summary>
/// The start-up checks of the app's endpoints against the contract: every module named by endpoint
/// metadata exists, and with <c>strict_endpoints</c> every endpoint belongs to a module.
/// </summary>
internal static class EndpointChecks
{
    /// <summary>Describes the endpoints whose <c>WithMemoryContract</c>/<c>[MemoryContract]</c> names a module the contract lacks.</summary>
    public static List<string> UnknownModules(EndpointModuleMap map, IEnumerable<Endpoint> endpoints)
    {
        var problems = new List<string>();
        foreach (var endpoint in endpoints)
        {
            if (endpoint.Metadata.GetMetadata<MemoryContractAttribute>() is { } claim && map.FindModule(claim.Module) is null)
            {
                problems.Add($"{Describe(endpoint)} names module '{claim.Module}'");
            }
        }

        return problems;
    }

    /// <summary>
    /// Describes the endpoints that no module claims: no metadata and no <c>routes</c> prefix (or a
    /// prefix that depends on route parameters). Health-check endpoints, the dashboard's
    /// (<see cref="DashboardEndpointMetadata"/>) and endpoints under <c>responses.shed.exempt_paths</c>
    /// need no module.
    /// </summary>
    public static List<string> Unclaimed(EndpointModuleMap map, IEnumerable<Endpoint> endpoints)
    {
        var problems = new List<string>();
        foreach (var endpoint in endpoints)
        {
            if (HealthCheckEndpoints.IsHealthCheck(endpoint)
                || endpoint.Metadata.GetMetadata<DashboardEndpointMetadata>() is not null
                || map.IsExemptPattern(endpoint))
            {
                continue;
            }

            var policy = map.BuildPolicy(endpoint);
            if (policy.Module is null)
            {
                problems.Add($"{Describe(endpoint)} (its module depends on route parameter values: claim it with WithMemoryContract or [MemoryContract])");
            }
            else if (policy.Module.Name is null)
            {
                problems.Add(Describe(endpoint));
            }
        }

        return problems;
    }

    public static string UnknownModulesMessage(EndpointModuleMap map, List<string> problems) =>
        $"{problems.Count} endpoint(s) name a memory contract module that this process does not host. "
        + $"Modules hosted: {HostedModules(map)} (the contract's modules, narrowed by MemoryContracts:Modules when set). "
        + "Fix the module name in WithMemoryContract/[MemoryContract] or add the module to memory_contract.yaml:"
        + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  - " + p));

    public static string UnclaimedMessage(List<string> problems) =>
        $"strict_endpoints is true but {problems.Count} endpoint(s) belong to no module. "
        + "Claim each with WithMemoryContract(\"module\") / [MemoryContract(\"module\")] or a module's routes prefix:"
        + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  - " + p));

    private static string HostedModules(EndpointModuleMap map) =>
        map.Contract.Modules.Count == 0 ? "(none)" : string.Join(", ", map.Contract.Modules.Select(m => m.Name));

    private static string Describe(Endpoint endpoint)
    {
        var name = endpoint.DisplayName ?? "(no display name)";
        return endpoint is RouteEndpoint route
            ? $"'{name}' (route '{route.RoutePattern.RawText ?? "/"}')"
            : $"'{name}'";
    }
}
