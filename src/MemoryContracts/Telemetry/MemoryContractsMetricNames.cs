namespace MemoryContracts;

/// <summary>
/// The meter, instrument and tag names of MemoryContracts (DESIGN §7). Subscribe to the meter by
/// <see cref="MeterName"/> with OpenTelemetry or <c>dotnet-counters</c>.
/// </summary>
internal static class MemoryContractsMetricNames
{
    public const string MeterName = "MemoryContracts";

    public const string PressureLevel = "memory_contracts.pressure.level";
    public const string HeapUtilization = "memory_contracts.heap.utilization";
    public const string AllocRate = "memory_contracts.alloc_rate";
    public const string RequestsShed = "memory_contracts.requests.shed";
    public const string LevelChanges = "memory_contracts.level_changes";
    public const string CacheTrimmed = "memory_contracts.cache.trimmed";
    public const string GcInduced = "memory_contracts.gc.induced";
    public const string SampleDuration = "memory_contracts.sample.duration";
    public const string TickLag = "memory_contracts.tick.lag";
    public const string ResponderFailures = "memory_contracts.responder.failures";
    public const string SamplerFailures = "memory_contracts.sampler.failures";
    public const string CacheWritesRefused = "memory_contracts.cache.writes_refused";
    public const string HeadersMalformed = "memory_contracts.headers.malformed";
    public const string DownstreamRefusals = "memory_contracts.downstream.refused";
    public const string ContractReloads = "memory_contracts.contract.reloads";
    public const string LeakSuspected = "memory_contracts.leak.suspected";
    public const string ContainerWorkingSet = "memory_contracts.container.working_set";
    public const string ContainerLimit = "memory_contracts.container.limit";
    public const string WorkingSetUtilization = "memory_contracts.working_set.utilization";

    public const string ModuleTag = "memory_contracts.module";
    public const string LevelTag = "memory_contracts.level";
    public const string ResponderTag = "memory_contracts.responder";
    public const string HeaderTag = "memory_contracts.header";
    public const string AuthorityTag = "memory_contracts.authority";
    public const string OutcomeTag = "memory_contracts.outcome";
    public const string SignalTag = "memory_contracts.signal";

    /// <summary>The outcome tag value of a responder run that threw.</summary>
    public const string FailureOutcome = "failure";

    /// <summary>The outcome tag value of a responder run that passed its deadline.</summary>
    public const string TimeoutOutcome = "timeout";

    /// <summary>The module tag value for the process as a whole.</summary>
    public const string ProcessModule = "_process";
    /// <summary>The module tag value for endpoints no module claims.</summary>
    public const string UnassignedModule = "_unassigned";
}
