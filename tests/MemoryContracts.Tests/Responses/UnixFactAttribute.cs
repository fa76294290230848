namespace MemoryContracts.Tests.Responses;

/// <summary>A fact about Unix file modes, owners and symbolic links: skipped on Windows.</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "Unix file modes, owners and symbolic links.";
        }
    }
}
