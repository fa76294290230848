using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace MemoryContracts;

/// <summary>
/// Puts <see cref="IMemoryPressureFeature"/> on every request, runs the inbound propagation hook and
/// sheds eligible requests with 429 while the guard publishes a shed fraction (DESIGN §5). In the
/// Normal state a request costs one volatile read of the snapshot, one cached policy lookup by
/// endpoint and a feature set: no allocation, no lock, no async state machine.
/// </summary>
internal sealed class MemoryContractsMiddleware
{
    private readonly RequestDelegate _next;
    private readonly MemoryPressureMonitor _monitor;
    private readonly MemoryContractSource _contracts;
    private readonly InboundPropagation _propagation;
    private readonly MemoryContractsMetrics _metrics;
    private readonly ILogger _logger;
    private readonly EndpointDataSource? _endpoints;
    private readonly Lock _observeGate = new();
    private EndpointModuleMap _map;
    private MemoryPressureSnapshot? _lastSeen;
    private double _lastLoggedFraction;
    private bool _lastLoggedShadow;

    public MemoryContractsMiddleware(
        RequestDelegate next,
        MemoryPressureMonitor monitor,
        MemoryContractSource contracts,
        InboundPropagation propagation,
        MemoryContractsMetrics metrics,
        ILogger<MemoryContractsMiddleware> logger,
        IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(monitor);
        ArgumentNullException.ThrowIfNull(contracts);
        ArgumentNullException.ThrowIfNull(propagation);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(services);
        _next = next;
        _monitor = monitor;
        _contracts = contracts;
        _propagation = propagation;
        _metrics = metrics;
        _logger = logger;

        // The middleware is built when the host builds its pipeline, after every Map* call: the
        // endpoints are known, so a bad module name or an unclaimed strict endpoint fails start-up.
        _endpoints = services.GetService<EndpointDataSource>();
        _map = new EndpointModuleMap(contracts.Current);
        CheckEndpointsAtStartup(_map);
        contracts.Changed += OnContractChanged;
    }

    public Task InvokeAsync(HttpContext context)
    {
        var snapshot = _monitor.Current;
        var map = _map;
        var features = context.Features;
        var endpoint = RequestFeatures.Endpoint(features);
        var policy = endpoint is null ? map.PathPolicy : map.GetPolicy(endpoint);
        var module = policy.Module ?? map.Routes.Match(context.Request.Path.Value);

        var caller = _propagation.OnRequest(context, snapshot);
        RequestFeatures.SetPressure(features, caller.IsEmpty
            ? module.Feature
            : new MemoryPressureFeature(module.Name, caller.UsagePercent, caller.Contract, caller.BypassCacheWrites));

        if (!ReferenceEquals(snapshot, _lastSeen))
        {
            Observe(snapshot);
        }

        if (caller.BypassCacheWrites)
        {
            return InvokeBypassingCacheWritesAsync(context, snapshot, map, policy, module);
        }

        return ShedOrNext(context, snapshot, map, policy, module);
    }

    /// <summary>
    /// A pressured caller's request: module caches refuse its writes. The flag is set inside this
    /// async method, so the runtime restores the execution context when it returns and the flag can
    /// never outlive the request (no other request pays to clear it).
    /// </summary>
    private async Task InvokeBypassingCacheWritesAsync(HttpContext context, MemoryPressureSnapshot snapshot, EndpointModuleMap map, EndpointPolicy policy, EndpointModule module)
    {
        CallerCacheBypass.Activate();
        await ShedOrNext(context, snapshot, map, policy, module).ConfigureAwait(false);
    }

    private Task ShedOrNext(HttpContext context, MemoryPressureSnapshot snapshot, EndpointModuleMap map, EndpointPolicy policy, EndpointModule module)
    {
        if (snapshot.ShedFraction > 0 && !policy.NeverShed && !module.Core)
        {
            return Shed(context, snapshot, map, policy, module);
        }

        return _next(context);
    }

    private Task Shed(HttpContext context, MemoryPressureSnapshot snapshot, EndpointModuleMap map, EndpointPolicy policy, EndpointModule module)
    {
        // Defence in depth: the guard publishes no shed fraction in shadow mode, and the middleware
        // refuses to act on one anyway. A matched endpoint's exemption is in its cached policy; the raw
        // path is checked only when no endpoint matched (DESIGN §13).
        if (_contracts.Current.Mode == MemoryContractMode.Shadow
            || (policy.ExemptByPath && map.IsExemptPath(context.Request.Path.Value))
            || !module.Credit.ShouldShed(map.ShedFractionFor(module, snapshot.ShedFraction)))
        {
            return _next(context);
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers[HeaderNames.RetryAfter] = map.NextRetryAfter();
        response.Headers[HeaderNames.CacheControl] = "no-store";
        response.ContentType = ShedProblem.ContentType;
        var body = module.ShedBody(snapshot.Level, map.RetryAfterSeconds);
        response.ContentLength = body.Length;

        _metrics.RequestShed(module.Name);
        AspNetCoreLog.RequestShed(_logger, context.Request.Method, context.Request.Path.Value, module.Name ?? MemoryContractsMetricNames.UnassignedModule, snapshot.Level);
        return response.Body.WriteAsync(body, 0, body.Length, context.RequestAborted);
    }

    /// <summary>
    /// Logs when shedding starts, changes or stops; in shadow mode, once per episode, what would be shed.
    /// Runs once per published snapshot.
    /// </summary>
    private void Observe(MemoryPressureSnapshot snapshot)
    {
        lock (_observeGate)
        {
            if (ReferenceEquals(snapshot, _lastSeen))
            {
                return;
            }

            _lastSeen = snapshot;
            var shadow = _contracts.Current.Mode == MemoryContractMode.Shadow;
            var previous = _lastLoggedFraction;
            if (shadow != _lastLoggedShadow)
            {
                // Enforce to shadow while shedding: shedding stopped. Either way, a new episode begins.
                if (!_lastLoggedShadow && previous > 0)
                {
                    AspNetCoreLog.SheddingStopped(_logger, snapshot.Level);
                }

                previous = 0;
                _lastLoggedShadow = shadow;
            }

            // Shadow acts on nothing (its ShedFraction is 0) but says what enforcing would shed.
            var warranted = shadow ? snapshot.WouldShedFraction : snapshot.ShedFraction;
            var fraction = warranted > 0 ? Math.Min(1, warranted) : 0;
            _lastLoggedFraction = fraction;
            if (shadow)
            {
                if (fraction > 0 && previous == 0)
                {
                    AspNetCoreLog.ShadowWouldShed(_logger, snapshot.Level, fraction * 100);
                }
            }
            else if (fraction > 0 && previous == 0)
            {
                AspNetCoreLog.SheddingStarted(_logger, snapshot.Level, fraction * 100);
            }
            else if (fraction == 0 && previous > 0)
            {
                AspNetCoreLog.SheddingStopped(_logger, snapshot.Level);
            }
            else if (fraction > 0 && Math.Abs(fraction - previous) >= 0.1)
            {
                AspNetCoreLog.SheddingChanged(_logger, snapshot.Level, fraction * 100);
            }
            else
            {
                _lastLoggedFraction = previous;
            }
        }
    }

    private void CheckEndpointsAtStartup(EndpointModuleMap map)
    {
        if (_endpoints is null)
        {
            AspNetCoreLog.NoEndpointDataSource(_logger);
            return;
        }

        var endpoints = _endpoints.Endpoints;
        var unknown = EndpointChecks.UnknownModules(map, endpoints);
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(EndpointChecks.UnknownModulesMessage(map, unknown));
        }

        if (map.Contract.StrictEndpoints)
        {
            var unclaimed = EndpointChecks.Unclaimed(map, endpoints);
            if (unclaimed.Count > 0)
            {
                throw new MemoryContractException(EndpointChecks.UnclaimedMessage(unclaimed), "strict_endpoints", null, null);
            }
        }
    }

    private void OnContractChanged(MemoryContract contract)
    {
        var map = new EndpointModuleMap(contract);
        Volatile.Write(ref _map, map);
        if (_endpoints is null)
        {
            return;
        }

        // A reload cannot fail start-up: it keeps serving and says what is now wrong.
        var endpoints = _endpoints.Endpoints;
        var unknown = EndpointChecks.UnknownModules(map, endpoints);
        if (unknown.Count > 0)
        {
            AspNetCoreLog.EndpointProblemsAfterReload(_logger, EndpointChecks.UnknownModulesMessage(map, unknown));
        }

        if (contract.StrictEndpoints && EndpointChecks.Unclaimed(map, endpoints) is { Count: > 0 } unclaimed)
        {
            AspNetCoreLog.EndpointProblemsAfterReload(_logger, EndpointChecks.UnclaimedMessage(unclaimed));
        }
    }
}
