using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using MemoryContracts.Tests.Contracts;

namespace MemoryContracts.Tests.Cgroup;

/// <summary>
/// bench/LeakyService, built with the tests (a project reference that is built, not copied), started
/// from its own output folder inside a <see cref="TestMemoryCgroup"/> (the runtime starts inside it,
/// so it sees the limit), and its survival driver (<c>LeakyService drive</c>) run outside it.
/// </summary>
internal sealed partial class LeakyServiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource<Uri> _url = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private LeakyServiceProcess(Process process)
    {
        _process = process;
        _ = Task.Run(DrainOutputAsync);
    }

    /// <summary>Gets the service's output folder (its contracts are there).</summary>
    public static string OutputDirectory { get; } = Path.Join(
        ContractAssert.RepositoryRoot(), "bench", "LeakyService", "bin",
        typeof(LeakyServiceProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value,
        "net10.0");

    private static string Executable => Path.Join(OutputDirectory, OperatingSystem.IsWindows() ? "LeakyService.exe" : "LeakyService");

    /// <summary>Gets whether the service has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Gets the exit code (137 when killed by SIGKILL, as the OOM killer does).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Gets "running" or "exited with N", for assertion messages.</summary>
    public string State => _process.HasExited ? $"exited with {_process.ExitCode}" : "running";

    /// <summary>Gets what the service printed so far.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>
    /// Starts the service inside <paramref name="cgroup"/> with <paramref name="arguments"/> (for
    /// example <c>--no-contracts</c>) and a temp directory of <paramref name="temporaryDirectory"/>,
    /// and waits (bounded) until it listens.
    /// </summary>
    public static async Task<LeakyServiceProcess> StartAsync(TestMemoryCgroup cgroup, string temporaryDirectory, TimeSpan bound, params string[] arguments)
    {
        string[] all = [Executable, temporaryDirectory, .. arguments, "--urls", "http://127.0.0.1:0"];
        var service = new LeakyServiceProcess(cgroup.StartInside(cgroup.Directory, "exe=\"$1\"; export TMPDIR=\"$2\"; shift 2; cd \"$(dirname \"$exe\")\" && exec \"$exe\" \"$@\"", all));
        try
        {
            await service._url.Task.WaitAsync(bound);
            return service;
        }
        catch (TimeoutException)
        {
            service.Dispose();
            throw new TimeoutException($"LeakyService did not listen within {bound.TotalSeconds} s; it printed:\n{service.Output}");
        }
        catch
        {
            service.Dispose();
            throw;
        }
    }

    /// <summary>Gets the address it listens on.</summary>
    public Uri Url => _url.Task.Result;

    /// <summary>
    /// Runs the survival driver against the service from outside the cgroup, bounded by its own
    /// duration plus a margin, and returns the fields of its <c>RESULT</c> line.
    /// </summary>
    public async Task<DriveResult> DriveAsync(string growth, int seconds, int growthMbPerSecond, int scanMb, string cgroupDirectory)
    {
        var info = new ProcessStartInfo(Executable) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = OutputDirectory };
        foreach (var argument in new[]
        {
            "drive", "--url", Url.ToString(), "--seconds", seconds.ToString(CultureInfo.InvariantCulture), "--growth", growth,
            "--growth-mbps", growthMbPerSecond.ToString(CultureInfo.InvariantCulture), "--core-rps", "50",
            "--scan-mb", scanMb.ToString(CultureInfo.InvariantCulture), "--cgroup", cgroupDirectory,
        })
        {
            info.ArgumentList.Add(argument);
        }

        using var driver = Process.Start(info) ?? throw new InvalidOperationException("the driver did not start");
        var stdout = driver.StandardOutput.ReadToEndAsync();
        var stderr = driver.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(seconds + 30));
        try
        {
            await driver.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            driver.Kill();
            throw new TimeoutException($"the driver ran past {seconds + 30} s");
        }

        var text = await stdout;
        var result = text.Split('\n').LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"the driver printed no RESULT line (exit {driver.ExitCode}):\n{text}\n{await stderr}");
        return new DriveResult(result, text);
    }

    /// <summary>Waits (bounded) for the service to exit; returns whether it did.</summary>
    public bool WaitForExit(TimeSpan bound) => _process.WaitForExit(bound);

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    [GeneratedRegex(@"listening on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();

    private async Task DrainOutputAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                _output.Enqueue(line);
                if (ListeningLine().Match(line) is { Success: true } match)
                {
                    _url.TrySetResult(new Uri(match.Groups[1].Value));
                }
            }
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The process is gone.
        }

        _url.TrySetException(new InvalidOperationException("LeakyService ended before it listened:\n" + Output));
    }
}

/// <summary>The driver's <c>RESULT</c> line, field by field, and everything it printed.</summary>
internal sealed class DriveResult
{
    private readonly Dictionary<string, string> _fields;

    public DriveResult(string line, string output)
    {
        Line = line;
        Output = output;
        _fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => f.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
    }

    public string Line { get; }

    public string Output { get; }

    public string this[string field] => _fields[field];

    public long Number(string field) => long.Parse(_fields[field], CultureInfo.InvariantCulture);
}
