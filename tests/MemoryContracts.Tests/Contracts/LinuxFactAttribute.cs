namespace MemoryContracts.Tests.Contracts;

/// <summary>A fact that needs Linux file-system objects (FIFOs via <c>mkfifo</c>, <c>statx</c>); skipped elsewhere.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "needs Linux (mkfifo, statx)";
        }
    }
}
