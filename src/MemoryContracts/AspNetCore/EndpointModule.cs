namespace MemoryContracts;

/// <summary>
/// What the middleware needs to know about one module (or about "no module"): its name, whether it
/// is core, its shed tier, the feature instance its requests share, and its shed bodies (built on
/// first use).
/// </summary>
internal sealed class EndpointModule
{
    private readonly byte[]?[] _shedBodies = new byte[]?[4];

    public EndpointModule(string? name, bool core, int priority = ModuleDefaults.Priority)
    {
        Name = name;
        Core = core;
        Priority = priority;
        Feature = new MemoryPressureFeature(name);
    }

    /// <summary>Gets the module's name, or <see langword="null"/> for endpoints no module claims.</summary>
    public string? Name { get; }

    /// <summary>Gets a value indicating whether the module is core (never shed).</summary>
    public bool Core { get; }

    /// <summary>Gets the module's <c>priority</c> (50 for endpoints no module claims).</summary>
    public int Priority { get; }

    /// <summary>
    /// Gets or sets the module's place in the shed order: 0 for the lowest <c>priority</c> among non-core
    /// modules, then 1, … (set once by <see cref="EndpointModuleMap"/>).
    /// </summary>
    public int ShedTier { get; set; }

    /// <summary>Gets the module's own shed credit, so each module's fraction is kept exactly.</summary>
    public ShedCredit Credit { get; } = new();

    /// <summary>Gets the feature shared by every request of this module whose caller reported nothing.</summary>
    public MemoryPressureFeature Feature { get; }

    /// <summary>Gets the problem+json body of a shed response at <paramref name="level"/>, built once per level.</summary>
    public byte[] ShedBody(PressureLevel level, int retryAfterSeconds)
    {
        var index = (int)level & 3;
        return Volatile.Read(ref _shedBodies[index]) ?? Build(index, level, retryAfterSeconds);
    }

    private byte[] Build(int index, PressureLevel level, int retryAfterSeconds)
    {
        var body = ShedProblem.Create(Name, level, retryAfterSeconds);
        Volatile.Write(ref _shedBodies[index], body);
        return body;
    }
}
