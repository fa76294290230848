using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace MemoryContracts;

/// <summary>
/// Puts <see cref="IMemoryPressureFeature"/> on every request, runs the inbound propagation hook and
/// sheds eligible requests with 429 while the guard publishes a shed fraction (DESIGN §5). A request
/// reads one snapshot and takes everything from it and its plan (the module map, the shed fraction,
/// the propagation policy), so a reload takes effect for all of it at once. In the Normal state a
/// request costs that volatile read, one cached policy lookup by endpoint, a feature set and the
/// count of the request and of its status for the ORCA report (<see cref="RequestTally"/>: an add to
/// the thread's own slot, and the status read when the rest of the pipeline returns completed, else in
/// a completion callback): no allocation, no lock, no async state machine. Shedding episodes are
/// logged off the request path (<see cref="SheddingEpisodeLog"/>).
/// </summary>
internal sealed class MemoryContractsMiddleware
{
    private readonly RequestDelegate _next;
    private readonly MemoryPressureMonitor _monitor;
    private readonly InboundPropagation _propagation;
    private readonly RequestTally _tally;
    private readonly MemoryContractsMetrics _metrics;
    private readonly ILogger _logger;
    private readonly EndpointDataSource? _endpoints;
    private readonly bool _marksCoreFlows;

    public MemoryContractsMiddleware(
        RequestDelegate next,
        MemoryPressureMonitor monitor,
        InboundPropagation propagation,
        RequestTally tally,
        MemoryContractsMetrics metrics,
        ILogger<MemoryContractsMiddleware> logger,
        IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(monitor);
        ArgumentNullException.ThrowIfNull(propagation);
        ArgumentNullException.ThrowIfNull(tally);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(services);
        _next = next;
        _monitor = monitor;
        _propagation = propagation;
        _tally = tally;
        _metrics = metrics;
        _logger = logger;

        // Only IHttpClientFactory clients carry the outbound handler that reads the core mark.
        _marksCoreFlows = services.GetService<System.Net.Http.IHttpMessageHandlerFactory>() is not null;

        // The middleware is built when the host builds its pipeline, after every Map* call: the
        // endpoints are known, so a bad module name or an unclaimed strict endpoint fails start-up.
        _endpoints = services.GetService<EndpointDataSource>();
        var plan = monitor.Current.Plan;
        CheckEndpointsAtStartup(plan.Endpoints);
        var episodes = new SheddingEpisodeLog(plan, _endpoints, logger);
        _ = monitor.OnChange(episodes.Observe);
    }

    public Task InvokeAsync(HttpContext context)
    {
        _tally.CountRequest();
        Task handled;
        try
        {
            handled = Handle(context);
        }
        catch
        {
            // The server answers 500 for what the pipeline threw: the status is read once it has.
            _tally.CountWhenCompleted(context);
            throw;
        }

        return _tally.CountOutcome(context, handled);
    }

    private Task Handle(HttpContext context)
    {
        var snapshot = _monitor.Current;
        if (snapshot.DrainsConnections)
        {
            ConnectionDrain.Request(context);
        }

        var map = snapshot.Plan.Endpoints;
        var features = context.Features;
        var endpoint = RequestFeatures.Endpoint(features);
        var policy = endpoint is null ? map.PathPolicy : map.GetPolicy(endpoint);
        var module = policy.Module ?? map.Routes.Match(context.Request.Path.Value);

        var caller = _propagation.OnRequest(context, snapshot);
        RequestFeatures.SetPressure(features, caller.IsEmpty
            ? module.Feature
            : new MemoryPressureFeature(module.Name, caller.UsagePercent, caller.Contract, caller.BypassCacheWrites));

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

        return module.Core && _marksCoreFlows ? CoreRequestFlow.Run(_next, context) : _next(context);
    }

    private Task Shed(HttpContext context, MemoryPressureSnapshot snapshot, EndpointModuleMap map, EndpointPolicy policy, EndpointModule module)
    {
        // The shed fraction is 0 in shadow mode (the plan decides). A matched endpoint's exemption is
        // in its cached policy; the raw path is checked only when no endpoint matched (DESIGN §13).
        if ((policy.ExemptByPath && map.IsExemptPath(context.Request.Path.Value))
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
        _tally.CountShed();
        AspNetCoreLog.RequestShed(_logger, context.Request.Method, context.Request.Path.Value, module.Name ?? MemoryContractsMetricNames.UnassignedModule, snapshot.Level);
        return response.Body.WriteAsync(body, 0, body.Length, context.RequestAborted);
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
}
