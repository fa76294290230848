namespace MemoryContracts;

/// <summary>A resolved trimmable and the module that owns it.</summary>
internal sealed class OwnedTrimmable
{
    public OwnedTrimmable(string module, IMemoryTrimmable trimmable)
    {
        Module = module;
        Trimmable = trimmable;
    }

    public string Module { get; }

    public IMemoryTrimmable Trimmable { get; }

    /// <summary>1 once a failure of <see cref="IMemoryTrimmable.EstimatedBytes"/> has been logged (it is logged once).</summary>
    public int EstimateFailureLogged;
}
