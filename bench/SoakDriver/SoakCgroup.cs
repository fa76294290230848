using System.Globalization;

namespace SoakDriver;

/// <summary>
/// The service's own cgroup v1 memory cgroup (<c>/sys/fs/cgroup/memory/&lt;unique name&gt;</c>), holding
/// only the service this driver started; removed on dispose (after the service exited), failure and
/// Ctrl-C included.
/// </summary>
internal sealed class SoakCgroup : IDisposable
{
    public const string Hierarchy = "/sys/fs/cgroup/memory";

    private SoakCgroup(string directory) => Directory = directory;

    public string Directory { get; }

    /// <summary>Gets null when a writable cgroup v1 memory controller is mounted at <see cref="Hierarchy"/> and we are root; else why not.</summary>
    public static string? Unavailable()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            return "not root on Linux";
        }

        try
        {
            var mounted = File.ReadLines("/proc/self/mountinfo").Any(line =>
            {
                var fields = line.Split(' ');
                var separator = Array.IndexOf(fields, "-");
                return fields.Length > 5 && fields[4] == Hierarchy && fields[5].Split(',').Contains("rw")
                    && separator > 0 && separator + 1 < fields.Length && fields[separator + 1] == "cgroup";
            });
            return mounted ? null : $"no cgroup v1 memory controller mounted read-write at {Hierarchy}";
        }
        catch (IOException e)
        {
            return e.Message;
        }
    }

    public static SoakCgroup Create(string name, long limitBytes)
    {
        var cgroup = new SoakCgroup(Path.Join(Hierarchy, name));
        System.IO.Directory.CreateDirectory(cgroup.Directory);
        try
        {
            cgroup.SetLimit(limitBytes);
            return cgroup;
        }
        catch
        {
            cgroup.Dispose();
            throw;
        }
    }

    public long LimitBytes => Read("memory.limit_in_bytes");

    public long UsageBytes => Read("memory.usage_in_bytes");

    public long OomKills => File.ReadLines(Path.Join(Directory, "memory.oom_control"))
        .Where(l => l.StartsWith("oom_kill ", StringComparison.Ordinal))
        .Select(l => long.Parse(l.AsSpan("oom_kill ".Length), CultureInfo.InvariantCulture))
        .FirstOrDefault();

    /// <summary>Sets the limit (and the memory+swap limit where swap accounting exists, raised first when growing).</summary>
    public void SetLimit(long bytes)
    {
        var value = bytes.ToString(CultureInfo.InvariantCulture);
        var memsw = Path.Join(Directory, "memory.memsw.limit_in_bytes");
        var hasMemsw = File.Exists(memsw);
        var growing = !hasMemsw || bytes >= LimitBytes;
        if (hasMemsw && growing)
        {
            File.WriteAllText(memsw, value);
        }

        File.WriteAllText(Path.Join(Directory, "memory.limit_in_bytes"), value);
        if (hasMemsw && !growing)
        {
            File.WriteAllText(memsw, value);
        }
    }

    public void Dispose()
    {
        // An exited process leaves its cgroup a moment later: retry briefly.
        for (var attempt = 0; attempt < 100 && System.IO.Directory.Exists(Directory); attempt++)
        {
            try
            {
                System.IO.Directory.Delete(Directory, recursive: false);
                return;
            }
            catch (IOException)
            {
                Thread.Sleep(100);
            }
        }
    }

    private long Read(string file) => long.Parse(File.ReadAllText(Path.Join(Directory, file)).Trim(), CultureInfo.InvariantCulture);
}
