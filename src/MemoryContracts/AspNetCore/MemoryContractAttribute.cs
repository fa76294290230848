namespace MemoryContracts;

/// <summary>
/// Assigns an endpoint (a minimal API handler, a controller or an action) to a module of the contract.
/// Endpoint metadata wins over the module's <c>routes</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method | AttributeTargets.Delegate, AllowMultiple = false, Inherited = true)]
public sealed class MemoryContractAttribute : Attribute
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="module">The module's name, as in the contract.</param>
    public MemoryContractAttribute(string module)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(module);
        Module = module;
    }

    /// <summary>Gets the module's name.</summary>
    public string Module { get; }
}
