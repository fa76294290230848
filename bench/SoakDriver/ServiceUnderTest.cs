using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace SoakDriver;

/// <summary>
/// bench/LeakyService started as a child process (<c>--soak --contract FILE --urls
/// http://127.0.0.1:0</c>) through <c>/bin/sh</c>, which waits for one line on stdin before it
/// <c>exec</c>s the service: the driver moves it into its cgroup first, so the runtime starts inside
/// it. Its stdout and stderr are kept.
/// </summary>
internal sealed partial class ServiceUnderTest : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly TaskCompletionSource<Uri> _url = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _drainOut;
    private readonly Task _drainErr;

    private ServiceUnderTest(Process process)
    {
        _process = process;
        _drainOut = Task.Run(() => DrainAsync(_process.StandardOutput, _stdout, listening: true));
        _drainErr = Task.Run(() => DrainAsync(_process.StandardError, _stderr, listening: false));
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public Uri Url => _url.Task.Result;

    public IReadOnlyList<string> Stdout => [.. _stdout];

    public IReadOnlyList<string> Stderr => [.. _stderr];

    /// <summary>Starts the service; <paramref name="cgroupDirectory"/> (or null) gets its pid before it runs; waits (bounded) until it listens.</summary>
    public static async Task<ServiceUnderTest> StartAsync(string serviceDirectory, string contractPath, string? cgroupDirectory, TimeSpan bound)
    {
        var executable = Path.GetFullPath(Path.Join(serviceDirectory, "LeakyService"));
        if (!File.Exists(executable))
        {
            throw new FileNotFoundException($"no LeakyService in {serviceDirectory} (build bench/LeakyService first)", executable);
        }

        var info = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(executable)!,
        };
        foreach (var argument in new[] { "-c", "read _ && exec \"$0\" \"$@\"", executable, "--soak", "--contract", contractPath, "--urls", "http://127.0.0.1:0" })
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_gcServer"] = "0";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start /bin/sh");
        var service = new ServiceUnderTest(process);
        try
        {
            if (cgroupDirectory is not null)
            {
                File.WriteAllText(Path.Join(cgroupDirectory, "cgroup.procs"), process.Id.ToString(CultureInfo.InvariantCulture));
            }

            await process.StandardInput.WriteLineAsync("go");
            await process.StandardInput.FlushAsync();
            await service._url.Task.WaitAsync(bound);
            return service;
        }
        catch (Exception e)
        {
            service.Kill();
            throw new InvalidOperationException($"LeakyService did not listen within {bound.TotalSeconds} s ({e.Message}); it printed:\n{string.Join('\n', service.Stdout.Concat(service.Stderr))}", e);
        }
    }

    /// <summary>Sends SIGTERM (a graceful stop, as an orchestrator does) and waits (bounded); returns the exit code, or null if it had to be killed.</summary>
    public async Task<int?> StopAsync(TimeSpan bound)
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill!.WaitForExitAsync();
        }

        using var wait = new CancellationTokenSource(bound);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
            await Task.WhenAll(_drainOut, _drainErr).WaitAsync(TimeSpan.FromSeconds(5));
            return _process.ExitCode;
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
            Kill();
            return null;
        }
    }

    public void Kill()
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

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    [GeneratedRegex(@"listening on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();

    private async Task DrainAsync(StreamReader reader, ConcurrentQueue<string> lines, bool listening)
    {
        try
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                if (lines.Count < 200_000)
                {
                    lines.Enqueue(line);
                }

                if (listening && ListeningLine().Match(line) is { Success: true } match)
                {
                    _url.TrySetResult(new Uri(match.Groups[1].Value));
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The process is gone.
        }

        if (listening)
        {
            _url.TrySetException(new InvalidOperationException("LeakyService ended before it listened"));
        }
    }
}
