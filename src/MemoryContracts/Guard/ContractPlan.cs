namespace MemoryContracts;

/// <summary>
/// One accepted contract compiled once, immutable, and published with every snapshot graded under it
/// (<see cref="MemoryPressureSnapshot.Plan"/>): the enforced modules in a fixed order and the budgets
/// they add up to, the shed levels, the endpoint→module resolution and shed tiers
/// (<see cref="Endpoints"/>), the propagation and trust policy (<see cref="Propagation"/>), and the
/// mode. A request reads one snapshot and takes everything from it, so a reload takes effect for
/// every consumer at the same publish. Shadow mode is decided here (<see cref="IsShadow"/>): consumers
/// ask the plan what to do rather than checking the mode themselves.
/// </summary>
internal sealed class ContractPlan
{
    /// <summary>Compiles a contract (already validated).</summary>
    /// <exception cref="MemoryContractException">The propagation policy cannot be compiled.</exception>
    public ContractPlan(MemoryContract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        Contract = contract;
        Modules = [.. contract.Modules];
        IsShadow = contract.Mode == MemoryContractMode.Shadow;
        Endpoints = new EndpointModuleMap(contract);
        Propagation = CompiledPropagationPolicy.Compile(contract);

        double allocBudget = 0;
        double pauseBudget = double.MaxValue;
        double gcTrigger = double.MaxValue;
        foreach (var module in Modules)
        {
            allocBudget += module.AllocRateBytesPerSecond ?? 0;
            if (module.MaxGcPause is { } pause)
            {
                pauseBudget = Math.Min(pauseBudget, pause.TotalSeconds);
            }

            if (module.GcTriggerRatio is { } trigger)
            {
                gcTrigger = Math.Min(gcTrigger, trigger);
            }
        }

        ProcessAllocBudget = allocBudget;
        ProcessPauseBudgetSeconds = pauseBudget == double.MaxValue ? 0 : pauseBudget;
        ProcessGcTriggerRatio = gcTrigger == double.MaxValue ? 0 : gcTrigger;
        ShedsAt = [.. Enum.GetValues<PressureLevel>().Select(l => contract.Responses.For(l).Contains(BuiltInResponders.ShedRequests))];
        DrainsAt = [.. Enum.GetValues<PressureLevel>().Select(l => !IsShadow && contract.Responses.For(l).Contains(BuiltInResponders.DrainConnections))];
    }

    /// <summary>Gets the plan of a default contract (no modules), in force until a contract is compiled.</summary>
    public static ContractPlan Default { get; } = new(new MemoryContract());

    public MemoryContract Contract { get; }

    /// <summary>
    /// Gets a value indicating whether the contract only observes (<c>mode: shadow</c>): it grades, logs,
    /// measures and sends headers, and acts on nothing (no responder runs, nothing is shed, caches
    /// keep taking writes, no downstream is isolated, readiness never fails).
    /// </summary>
    public bool IsShadow { get; }

    /// <summary>Gets the endpoint→module resolution, exempt paths, shed tiers and <c>Retry-After</c> values.</summary>
    public EndpointModuleMap Endpoints { get; }

    /// <summary>Gets the propagation and trust policy: trusted networks and outbound hosts parsed once.</summary>
    public CompiledPropagationPolicy Propagation { get; }

    public ModuleContract[] Modules { get; }

    /// <summary>Gets the sum of the modules' allocation budgets in bytes/s; 0 when none sets one (not graded).</summary>
    public double ProcessAllocBudget { get; }

    /// <summary>Gets the strictest of the modules' pause budgets in seconds; 0 when none sets one (not graded).</summary>
    public double ProcessPauseBudgetSeconds { get; }

    /// <summary>Gets the lowest of the modules' <c>gc_trigger_ratio</c>; 0 when none sets one.</summary>
    public double ProcessGcTriggerRatio { get; }

    /// <summary>Gets, by level, whether <c>shed_requests</c> is among that level's responses.</summary>
    public bool[] ShedsAt { get; }

    /// <summary>
    /// Gets, by level, whether connections are drained at that level: <c>drain_connections</c> is among
    /// its responses and the mode is <c>enforce</c> (all false in shadow).
    /// </summary>
    public bool[] DrainsAt { get; }

    public int IndexOf(string module)
    {
        for (var i = 0; i < Modules.Length; i++)
        {
            if (string.Equals(Modules[i].Name, module, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// The process heap budget for a process with <paramref name="capacityBytes"/> available: the sum of
    /// the modules' heap budgets, or the capacity when no module sets one.
    /// </summary>
    public long ProcessHeapBudget(long capacityBytes)
    {
        long sum = 0;
        foreach (var module in Modules)
        {
            if (module.ResolveMaxHeapBytes(capacityBytes) is { } budget)
            {
                sum = sum > long.MaxValue - budget ? long.MaxValue : sum + budget;
            }
        }

        return sum > 0 ? sum : capacityBytes;
    }
}
