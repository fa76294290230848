namespace MemoryContracts;

/// <summary>Defaults of a module's optional keys, shared by the model and whatever treats "no module" like one.</summary>
internal static class ModuleDefaults
{
    /// <summary>The default <c>priority</c>, also that of endpoints no module claims.</summary>
    public const int Priority = 50;
}
