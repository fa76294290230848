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
}
