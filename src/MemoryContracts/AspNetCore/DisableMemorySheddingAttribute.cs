namespace MemoryContracts;

/// <summary>
/// Marks an endpoint that is never shed, whatever the pressure.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method | AttributeTargets.Delegate, AllowMultiple = false, Inherited = true)]
public sealed class DisableMemorySheddingAttribute : Attribute
{
}
