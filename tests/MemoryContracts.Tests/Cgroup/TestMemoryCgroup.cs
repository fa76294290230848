using System.Diagnostics;
using System.Globalization;

namespace MemoryContracts.Tests.Cgroup;

/// <summary>
/// A uniquely named cgroup v1 memory cgroup (<c>/sys/fs/cgroup/memory/mc-test-&lt;guid&gt;</c>, and
/// optional children), holding only processes this test started; removed on dispose once they exited.
/// </summary>
internal sealed class TestMemoryCgroup : IDisposable
{
    public const string Hierarchy = "/sys/fs/cgroup/memory";

    private readonly List<string> _directories = [];
    private readonly List<Process> _processes = [];

    public TestMemoryCgroup(long limitBytes)
    {
        try
        {
            Directory = Create(Path.Join(Hierarchy, $"mc-test-{Guid.NewGuid():N}"), limitBytes);
        }
        catch
        {
            Remove();
            throw;
        }
    }

    /// <summary>Gets the cgroup's directory.</summary>
    public string Directory { get; }

    /// <summary>Creates a child cgroup with its own limit.</summary>
    public string CreateChild(string name, long limitBytes) => Create(Path.Join(Directory, name), limitBytes);

    public static void SetLimit(string directory, long limitBytes) =>
        File.WriteAllText(Path.Join(directory, "memory.limit_in_bytes"), limitBytes.ToString(CultureInfo.InvariantCulture));

    /// <summary>Forbids swap too, where swap accounting exists (<c>memory.memsw.limit_in_bytes</c>), so the limit is the limit.</summary>
    public static void ForbidSwap(string directory, long limitBytes)
    {
        try
        {
            File.WriteAllText(Path.Join(directory, "memory.memsw.limit_in_bytes"), limitBytes.ToString(CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No swap accounting: nothing to forbid.
        }
    }

    /// <summary>The kernel's OOM kills in the cgroup (<c>oom_kill</c> of <c>memory.oom_control</c>).</summary>
    public static long OomKills(string directory) =>
        File.ReadLines(Path.Join(directory, "memory.oom_control"))
            .Where(l => l.StartsWith("oom_kill ", StringComparison.Ordinal))
            .Select(l => long.Parse(l.AsSpan("oom_kill ".Length), CultureInfo.InvariantCulture))
            .Single();

    /// <summary>The cgroup's peak usage since it was created (<c>memory.max_usage_in_bytes</c>).</summary>
    public static long PeakUsageBytes(string directory) =>
        long.Parse(File.ReadAllText(Path.Join(directory, "memory.max_usage_in_bytes")).Trim(), CultureInfo.InvariantCulture);

    /// <summary>
    /// Starts <c>/bin/sh -c script</c> (arguments as $1...), moves it into <paramref name="directory"/>
    /// and only then lets it run: the script starts by reading one line from stdin.
    /// </summary>
    public Process StartInside(string directory, string script, params string[] arguments)
    {
        var info = new ProcessStartInfo("/bin/sh") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("read _ && " + script);
        info.ArgumentList.Add("sh");
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info)!;
        _processes.Add(process);
        File.WriteAllText(Path.Join(directory, "cgroup.procs"), process.Id.ToString(CultureInfo.InvariantCulture));
        process.StandardInput.WriteLine("go");
        process.StandardInput.Flush();
        return process;
    }

    /// <summary>Waits for the process to print <paramref name="line"/>.</summary>
    public static void WaitForLine(Process process, string line)
    {
        var read = process.StandardOutput.ReadLineAsync();
        if (!read.Wait(TimeSpan.FromSeconds(60)) || read.Result != line)
        {
            throw new InvalidOperationException($"the child process did not print '{line}' (got '{(read.IsCompleted ? read.Result : "nothing")}')");
        }
    }

    /// <summary>Ends a process this test started: closes its stdin, then kills it if it is still there.</summary>
    public static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.StandardInput.Close();
            if (!process.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                process.Kill();
                process.WaitForExit();
            }
        }
    }

    /// <summary>Removes the cgroups, children first (rmdir; a cgroup's files go with it).</summary>
    public void Remove()
    {
        foreach (var process in _processes)
        {
            Stop(process);
        }

        for (var i = _directories.Count - 1; i >= 0; i--)
        {
            RemoveDirectory(_directories[i]);
        }

        _directories.Clear();
    }

    public void Dispose()
    {
        Remove();
        foreach (var process in _processes)
        {
            process.Dispose();
        }
    }

    private static void RemoveDirectory(string directory)
    {
        // An exited process leaves its cgroup a moment later: retry briefly.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                if (System.IO.Directory.Exists(directory))
                {
                    System.IO.Directory.Delete(directory, recursive: false);
                }

                return;
            }
            catch (IOException) when (attempt < 50)
            {
                Thread.Sleep(100);
            }
        }
    }

    private string Create(string directory, long limitBytes)
    {
        System.IO.Directory.CreateDirectory(directory);
        _directories.Add(directory);
        SetLimit(directory, limitBytes);
        return directory;
    }
}
