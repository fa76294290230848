using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace MemoryContracts;

/// <summary>
/// Listens to every published snapshot (<see cref="IMemoryPressure.OnChange"/>), off the request path:
/// logs when shedding starts, changes by a tenth or more, and stops (events 300–302); in shadow mode,
/// once per episode, what enforcing would shed (304); and, when a reload brings a new plan, what is now
/// wrong with the app's endpoints (a reload cannot fail start-up: it keeps serving and says so).
/// </summary>
internal sealed class SheddingEpisodeLog
{
    private readonly ILogger _logger;
    private readonly EndpointDataSource? _endpoints;
    private readonly Lock _gate = new();
    private ContractPlan _plan;
    private double _lastLoggedFraction;
    private bool _lastLoggedShadow;

    public SheddingEpisodeLog(ContractPlan plan, EndpointDataSource? endpoints, ILogger logger)
    {
        _plan = plan;
        _endpoints = endpoints;
        _logger = logger;
        _lastLoggedShadow = plan.IsShadow;
    }

    public void Observe(MemoryPressureSnapshot snapshot)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(snapshot.Plan, _plan))
            {
                _plan = snapshot.Plan;
                CheckEndpointsAfterReload(snapshot.Plan);
            }

            var shadow = snapshot.Plan.IsShadow;
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

    private void CheckEndpointsAfterReload(ContractPlan plan)
    {
        if (_endpoints is null)
        {
            return;
        }

        var map = plan.Endpoints;
        var endpoints = _endpoints.Endpoints;
        var unknown = EndpointChecks.UnknownModules(map, endpoints);
        if (unknown.Count > 0)
        {
            AspNetCoreLog.EndpointProblemsAfterReload(_logger, EndpointChecks.UnknownModulesMessage(map, unknown));
        }

        if (plan.Contract.StrictEndpoints && EndpointChecks.Unclaimed(map, endpoints) is { Count: > 0 } unclaimed)
        {
            AspNetCoreLog.EndpointProblemsAfterReload(_logger, EndpointChecks.UnclaimedMessage(unclaimed));
        }
    }
}
