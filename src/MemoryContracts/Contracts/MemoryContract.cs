namespace MemoryContracts;

/// <summary>
/// A parsed and validated memory contract: the budgets of every module of a system and how the guard
/// escalates, responds and propagates. Load one with <see cref="Parse"/> or <see cref="Load"/>, or build
/// one in code and give it to <see cref="MemoryContractsOptions.Contract"/>.
/// </summary>
public sealed class MemoryContract
{
    private IReadOnlyList<ResponderReference>? _customResponders;

    /// <summary>Gets the contract's version, sent as <c>X-Memory-Contract</c> (<c>version</c>). The default value is <c>v1.2</c>.</summary>
    public string Version { get; init; } = "v1.2";

    /// <summary>Gets whether the guard acts or only watches (<c>mode</c>). The default value is <see cref="MemoryContractMode.Enforce"/>.</summary>
    public MemoryContractMode Mode { get; init; } = MemoryContractMode.Enforce;

    /// <summary>
    /// Gets a value indicating whether start-up fails when an endpoint belongs to no module
    /// (<c>strict_endpoints</c>). The default value is <see langword="false"/>.
    /// </summary>
    public bool StrictEndpoints { get; init; }

    /// <summary>Gets how often the guard samples (<c>sampling.interval_ms</c>). The default value is 500 milliseconds.</summary>
    public TimeSpan SamplingInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Gets the modules' contracts (<c>modules</c>). At least one is required.</summary>
    public IReadOnlyList<ModuleContract> Modules { get; init; } = [];

    /// <summary>Gets when the guard steps up and down (<c>escalation</c>).</summary>
    public EscalationPolicy Escalation { get; init; } = new();

    /// <summary>Gets what the guard does at each level (<c>responses</c>).</summary>
    public ResponsePolicy Responses { get; init; } = new();

    /// <summary>Gets how pressure is told to and heard from other services (<c>propagation</c>).</summary>
    public PropagationPolicy Propagation { get; init; } = new();

    /// <summary>Gets how the container's working set is graded (<c>container</c>).</summary>
    public ContainerPolicy Container { get; init; } = new();

    /// <summary>Gets when the readiness check reports its failure status (<c>health</c>).</summary>
    public HealthPolicy Health { get; init; } = new();

    /// <summary>Gets when a leak is suspected (<c>leak_detection</c>).</summary>
    public LeakDetectionPolicy LeakDetection { get; init; } = new();

    /// <summary>Gets where each key sat in the YAML, or <see langword="null"/> for a contract given in code.</summary>
    internal ContractMarks? Marks { get; init; }

    /// <summary>Gets the file the contract was read from, or <see langword="null"/>.</summary>
    internal string? SourcePath { get; init; }

    /// <summary>
    /// Gets the responders named in <see cref="Responses"/> that are not built in, with where they are
    /// named; <see cref="MemoryContractValidator.EnsureRespondersKnown"/> checks them against the
    /// registered <see cref="IMemoryPressureResponder"/>s.
    /// </summary>
    internal IReadOnlyList<ResponderReference> CustomResponders => _customResponders ??= MemoryContractValidator.CollectCustomResponders(this);

    /// <summary>
    /// A copy of this contract with another version and/or module list, every other key kept: the one
    /// place that knows all of a contract's keys, so a copy never drops one.
    /// </summary>
    internal MemoryContract With(string? version = null, IReadOnlyList<ModuleContract>? modules = null) => new()
    {
        Version = version ?? Version,
        Mode = Mode,
        StrictEndpoints = StrictEndpoints,
        SamplingInterval = SamplingInterval,
        Modules = modules ?? Modules,
        Escalation = Escalation,
        Responses = Responses,
        Propagation = Propagation,
        Health = Health,
        LeakDetection = LeakDetection,
        Container = Container,
        Marks = Marks,
        SourcePath = SourcePath,
    };

    /// <summary>Parses and validates a contract from YAML text.</summary>
    /// <param name="yaml">The contract's YAML.</param>
    /// <returns>The validated contract.</returns>
    /// <exception cref="MemoryContractException">The YAML is malformed, hostile or breaks a rule of the contract.</exception>
    public static MemoryContract Parse(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        return MemoryContractReader.Read(yaml, filePath: null);
    }

    /// <summary>Loads, parses and validates a contract file.</summary>
    /// <param name="path">The file's path.</param>
    /// <returns>The validated contract.</returns>
    /// <exception cref="MemoryContractException">The file is missing, too large, malformed, hostile or breaks a rule of the contract.</exception>
    public static MemoryContract Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return MemoryContractReader.ReadFile(path);
    }
}
