using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MemoryContracts;

/// <summary>
/// Everything the middleware derives from one contract: the modules, the <c>routes</c> prefix table,
/// the exempt paths, the <c>Retry-After</c> values, and the per-endpoint policies (built on an
/// endpoint's first request, then cached by <see cref="Endpoint"/> instance). Rebuilt, not mutated,
/// when the contract changes.
/// </summary>
internal sealed class EndpointModuleMap
{
    /// <summary>Past this many cached endpoints (a dynamic endpoint source churning), the cache starts over.</summary>
    internal const int MaxCachedPolicies = 10_000;

    private readonly Dictionary<string, EndpointModule> _modules;
    private readonly string[] _exemptPaths;
    private readonly string[] _retryAfterValues;
    private EndpointPolicyTable _policies = new();

    public EndpointModuleMap(MemoryContract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        Contract = contract;
        _modules = new Dictionary<string, EndpointModule>(StringComparer.Ordinal);
        var routes = new List<(string, EndpointModule)>();
        foreach (var module in contract.Modules)
        {
            if (_modules.ContainsKey(module.Name))
            {
                continue;
            }

            var entry = new EndpointModule(module.Name, module.Core, module.Priority);
            _modules.Add(module.Name, entry);
            foreach (var route in module.Routes)
            {
                routes.Add((route, entry));
            }
        }

        Unassigned = new EndpointModule(null, core: false);

        // Shed order among non-core modules: lowest priority first. Each distinct priority is a tier;
        // a scaled fraction f sheds tier i at clamp(f × tiers − i, 0, 1), so the lowest tier goes first.
        var tiers = _modules.Values.Append(Unassigned).Where(m => !m.Core).Select(m => m.Priority).Distinct().Order().ToList();
        ShedTiers = Math.Max(1, tiers.Count);
        foreach (var entry in _modules.Values.Append(Unassigned).Where(m => !m.Core))
        {
            entry.ShedTier = tiers.IndexOf(entry.Priority);
        }

        Routes = new RoutePrefixTable(routes, Unassigned);
        PathPolicy = new EndpointPolicy(module: null, neverShed: false, exemptByPath: true);

        var shed = contract.Responses.Shed;
        _exemptPaths = shed.ExemptPaths.Select(RoutePrefixTable.Normalize).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        RetryAfterSeconds = Math.Max(1, shed.RetryAfterSeconds);
        var jitter = RetryAfterSeconds / 5; // up to +20%, whole seconds
        _retryAfterValues = Enumerable.Range(RetryAfterSeconds, jitter + 1).Select(s => s.ToString(CultureInfo.InvariantCulture)).ToArray();
    }

    public MemoryContract Contract { get; }

    /// <summary>Gets the module of endpoints no module claims.</summary>
    public EndpointModule Unassigned { get; }

    public RoutePrefixTable Routes { get; }

    /// <summary>Gets the policy of requests without an endpoint: module by path, exempt by path.</summary>
    public EndpointPolicy PathPolicy { get; }

    /// <summary>Gets the base <c>Retry-After</c> in seconds (at least 1).</summary>
    public int RetryAfterSeconds { get; }

    /// <summary>Gets how many distinct priorities the non-core modules (and unassigned endpoints) have.</summary>
    public int ShedTiers { get; }

    /// <summary>
    /// The fraction of <paramref name="module"/>'s requests to shed when the guard publishes
    /// <paramref name="fraction"/>: all of them at 1; below that, lowest-priority tiers first.
    /// </summary>
    public double ShedFractionFor(EndpointModule module, double fraction) =>
        fraction >= 1 ? 1 : Math.Clamp((fraction * ShedTiers) - module.ShedTier, 0, 1);

    /// <summary>Gets the module of that name, or <see langword="null"/> when the contract has none.</summary>
    public EndpointModule? FindModule(string name) => _modules.GetValueOrDefault(name);

    /// <summary>Gets the endpoint's cached policy, building it on the endpoint's first request.</summary>
    public EndpointPolicy GetPolicy(Endpoint endpoint) =>
        Volatile.Read(ref _policies).Find(endpoint) ?? AddPolicy(endpoint);

    /// <summary>Whether the request path lies under one of <c>responses.shed.exempt_paths</c>.</summary>
    public bool IsExemptPath(ReadOnlySpan<char> path)
    {
        foreach (var exempt in _exemptPaths)
        {
            if (RoutePrefixTable.IsUnder(path, exempt))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether an endpoint's route pattern lies entirely under an exempt path.</summary>
    public bool IsExemptPattern(Endpoint endpoint) =>
        endpoint is RouteEndpoint route && IsExemptPath(RoutePrefixTable.LiteralPrefix(route.RoutePattern, out _));

    /// <summary>A <c>Retry-After</c> value: the configured seconds plus a jitter of up to 20%, never below 1.</summary>
    public string NextRetryAfter()
    {
        var values = _retryAfterValues;
        return values.Length == 1 ? values[0] : values[Random.Shared.Next(values.Length)];
    }

    /// <summary>
    /// Builds an endpoint's policy from its metadata and route pattern. Exemption follows the endpoint,
    /// never the request path (DESIGN §13): a catch-all or a leading route parameter that happens to
    /// match <c>/health/x</c> is not exempt; <c>/health/{name}</c> is.
    /// </summary>
    public EndpointPolicy BuildPolicy(Endpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var metadata = endpoint.Metadata;
        var neverShed = metadata.GetMetadata<DisableMemorySheddingAttribute>() is not null
            || HealthCheckEndpoints.IsHealthCheck(endpoint)
            || IsExemptPattern(endpoint);
        EndpointModule? module;
        if (metadata.GetMetadata<MemoryContractAttribute>() is { } claim)
        {
            // A module the contract lacks is refused at start-up; after a reload that dropped it, the
            // endpoint keeps its name and is treated as non-core.
            module = FindModule(claim.Module) ?? new EndpointModule(claim.Module, core: false);
        }
        else if (endpoint is RouteEndpoint route)
        {
            module = Routes.Match(route.RoutePattern);
        }
        else
        {
            module = null;
        }

        return new EndpointPolicy(module, neverShed);
    }

    private EndpointPolicy AddPolicy(Endpoint endpoint)
    {
        var policy = BuildPolicy(endpoint);
        var table = Volatile.Read(ref _policies);
        if (table.Count >= MaxCachedPolicies)
        {
            // A dynamic endpoint source churning: start over rather than grow without bound.
            Interlocked.CompareExchange(ref _policies, new EndpointPolicyTable(), table);
            return policy;
        }

        return table.GetOrAdd(endpoint, policy);
    }
}
