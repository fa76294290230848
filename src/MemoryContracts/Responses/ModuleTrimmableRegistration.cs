namespace MemoryContracts;

/// <summary>A trimmable owned by a module, registered in DI by <c>AddMemoryTrimmable</c> or <c>AddMemoryContractCache</c>.</summary>
internal sealed class ModuleTrimmableRegistration
{
    public ModuleTrimmableRegistration(string module, object key, Func<IServiceProvider, IMemoryTrimmable> factory)
    {
        Module = module;
        Key = key;
        Factory = factory;
    }

    public string Module { get; }

    /// <summary>Gets what makes the registration unique, so registering the same thing twice adds it once.</summary>
    public object Key { get; }

    public Func<IServiceProvider, IMemoryTrimmable> Factory { get; }
}
