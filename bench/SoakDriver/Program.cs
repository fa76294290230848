using System.Globalization;

namespace SoakDriver;

/// <summary>
/// <c>SoakDriver --service DIR [--seconds N] [--work DIR] [--cgroup auto|on|off] [--cgroup-name NAME]
/// [--clients N] [--rps N] [--max-lag-ms N] [--p99-lag-ms N]</c>: runs bench/LeakyService under load
/// and chaos for N seconds (default 600) and prints what held (see <see cref="SoakRun"/>). Exit code 0
/// when every check passed, 1 when one failed, 2 on a usage error. Run by bench/soak.sh.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var service = Option(args, "--service");
        if (service is null)
        {
            Console.Error.WriteLine("usage: SoakDriver --service bench/LeakyService/bin/Release/net10.0 [--seconds 600] [--work DIR] [--cgroup auto|on|off] [--cgroup-name NAME] [--clients 4] [--rps 60] [--max-lag-ms 10000] [--p99-lag-ms 1000]");
            return 2;
        }

        var defaults = new SoakSettings(service, TimeSpan.Zero, Path.GetTempPath());
        var settings = defaults with
        {
            Duration = TimeSpan.FromSeconds(Number(args, "--seconds", 600)),
            WorkDirectory = Option(args, "--work") ?? defaults.WorkDirectory,
            Cgroup = Option(args, "--cgroup") ?? defaults.Cgroup,
            CgroupName = Option(args, "--cgroup-name"),
            Clients = (int)Number(args, "--clients", defaults.Clients),
            RequestsPerSecond = (int)Number(args, "--rps", defaults.RequestsPerSecond),
            MaxTickLagMs = Number(args, "--max-lag-ms", defaults.MaxTickLagMs),
            MaxTickLagP99Ms = Number(args, "--p99-lag-ms", defaults.MaxTickLagP99Ms),
        };

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // Ctrl-C: stop the chaos and clean up (cgroup, tmpfs, service) before exiting.
            e.Cancel = true;
            cancel.Cancel();
        };

        try
        {
            var report = await SoakRun.RunAsync(settings, Console.Out, cancel.Token);
            return report.Passed ? 0 : 1;
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or TimeoutException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"soak aborted: {e}");
            return 1;
        }
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static double Number(string[] args, string name, double fallback) =>
        Option(args, name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
