using Microsoft.Extensions.Logging;

namespace MemoryContracts;

/// <summary>
/// The <c>gc_trigger_ratio</c> rule: while the process's or a module's heap ratio is at or past its
/// trigger, the GC is tightened (whatever the level); released when every ratio is back under, and on
/// entering shadow mode.
/// </summary>
internal sealed class GcTrigger
{
    private readonly GcTightening _gc;
    private readonly ILogger _logger;
    private bool _tightened;

    public GcTrigger(GcTightening gc, ILogger logger)
    {
        _gc = gc;
        _logger = logger;
    }

    /// <summary>Applies the rule to a graded state. Allocation-free.</summary>
    public void Apply(ContractPlan plan, GuardState state)
    {
        if (plan.IsShadow)
        {
            Release();
            return;
        }

        var breached = plan.ProcessGcTriggerRatio > 0 && state.ProcessHeapRatio >= plan.ProcessGcTriggerRatio;
        for (var i = 0; i < plan.Modules.Length && !breached; i++)
        {
            breached = plan.Modules[i].GcTriggerRatio is { } trigger && state.ModuleHeapRatios[i] >= trigger;
        }

        if (breached && !_tightened)
        {
            _tightened = true;
            if (_gc.Tighten(TighteningReasons.Trigger))
            {
                GuardLog.GcTriggerTightened(_logger);
            }
        }
        else if (!breached)
        {
            Release();
        }
    }

    public void Release()
    {
        if (!_tightened)
        {
            return;
        }

        _tightened = false;
        if (_gc.Release(TighteningReasons.Trigger))
        {
            GuardLog.GcTriggerReleased(_logger);
        }
    }
}
