using System.Diagnostics;
using System.Globalization;

namespace MemoryContracts.Tests.Diagnostics.Dump;

/// <summary>
/// A .NET process to dump: the ShopApi baseline (<c>--no-contracts</c>, built next to the tests) on a
/// loopback port, started for one test and killed afterwards. A dump suspends the process it is taken
/// of, so the tests dump this child rather than themselves: if <c>createdump</c> ever stalls, only the
/// child stalls and the test's own timeout still fires.
/// </summary>
internal sealed class DumpTarget : IDisposable
{
    private readonly Process _process;

    private DumpTarget(Process process) => _process = process;

    /// <summary>Gets the child's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Starts the child and waits (bounded) until its diagnostics channel is open.</summary>
    public static async Task<DumpTarget> StartAsync(TimeSpan bound)
    {
        var executable = Path.Join(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "ShopApi.exe" : "ShopApi");
        var info = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add("--no-contracts");
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add("http://127.0.0.1:0");
        var process = Process.Start(info) ?? throw new InvalidOperationException("ShopApi did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var target = new DumpTarget(process);
        try
        {
            var pattern = string.Create(CultureInfo.InvariantCulture, $"dotnet-diagnostic-{process.Id}-*-socket");
            var deadline = Stopwatch.StartNew();
            // Only a socket made since the child started counts: one a process of an earlier boot with
            // the same id left behind would answer nothing.
            var started = process.StartTime.ToUniversalTime().AddSeconds(-1);
            while (!Directory.GetFiles(Path.GetTempPath(), pattern).Any(socket => File.GetLastWriteTimeUtc(socket) >= started))
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"ShopApi exited with {process.ExitCode} before its diagnostics channel opened");
                }

                if (deadline.Elapsed > bound)
                {
                    throw new TimeoutException($"ShopApi's diagnostics channel did not open within {bound.TotalSeconds} s");
                }

                await Task.Delay(50);
            }

            return target;
        }
        catch
        {
            target.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }
}
