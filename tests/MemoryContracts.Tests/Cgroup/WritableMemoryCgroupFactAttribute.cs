namespace MemoryContracts.Tests.Cgroup;

/// <summary>
/// A fact that needs the cgroup v1 memory controller mounted read-write at
/// <c>/sys/fs/cgroup/memory</c> and root, to create child cgroups there; skipped with the reason otherwise.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class WritableMemoryCgroupFactAttribute : FactAttribute
{
    public WritableMemoryCgroupFactAttribute()
    {
        if (WhyNotWritable() is { } reason)
        {
            Skip = reason;
        }
    }

    private static string? WhyNotWritable()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "needs Linux cgroups";
        }

        if (!Environment.IsPrivilegedProcess)
        {
            return "needs root to create memory cgroups";
        }

        string mountInfo;
        try
        {
            mountInfo = File.ReadAllText("/proc/self/mountinfo");
        }
        catch (IOException e)
        {
            return $"/proc/self/mountinfo unreadable: {e.Message}";
        }

        var line = mountInfo.Split('\n').FirstOrDefault(l => l.Split(' ') is { Length: > 5 } f && f[4] == TestMemoryCgroup.Hierarchy && l.Contains(" - cgroup ", StringComparison.Ordinal));
        if (line is null)
        {
            return $"no cgroup v1 memory controller mounted at {TestMemoryCgroup.Hierarchy}";
        }

        return line.Split(' ')[5].Split(',').Contains("rw") ? null : $"{TestMemoryCgroup.Hierarchy} is mounted read-only";
    }
}
