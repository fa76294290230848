using System.Globalization;

namespace LeakyService;

/// <summary>
/// <c>LeakyService [--no-contracts] [--soak] [--contract FILE] [--urls URL]</c>: the leaky service (run it
/// under <c>DOTNET_GCHeapHardLimit</c> or in a memory cgroup). <c>LeakyService drive --url URL
/// [--seconds N] [--growth managed|native|files] [--growth-mbps N] [--core-rps N] [--scan-mb N] [--scan-write sync|buffered]
/// [--cgroup DIR]</c>: the survival runs' clients. See <c>bench/survival.sh</c> and
/// <c>bench/container-survival.sh</c>.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "drive")
        {
            var url = new Uri(Option(args, "--url") ?? throw new ArgumentException("drive needs --url http://127.0.0.1:PORT"));
            var settings = new DriveSettings(
                url,
                TimeSpan.FromSeconds(int.Parse(Option(args, "--seconds") ?? "20", CultureInfo.InvariantCulture)),
                Option(args, "--growth") ?? "managed",
                int.Parse(Option(args, "--growth-mbps") ?? "120", CultureInfo.InvariantCulture),
                int.Parse(Option(args, "--core-rps") ?? "50", CultureInfo.InvariantCulture),
                int.Parse(Option(args, "--scan-mb") ?? "800", CultureInfo.InvariantCulture),
                Option(args, "--scan-write") ?? "sync",
                Option(args, "--cgroup"));
            return await SurvivalDriver.RunAsync(settings, Console.Out);
        }

        OomTripwire.Arm();
        var useContracts = !args.Contains("--no-contracts");
        var contract = Option(args, "--contract") ?? "survival_contract.yaml";
        using var soak = args.Contains("--soak") ? new SoakTally() : null;
        string[] rest = [.. args.Where((a, i) => a != "--no-contracts" && a != "--soak" && a != "--contract" && (i == 0 || args[i - 1] != "--contract"))];
        await using var app = LeakyApp.Create(rest, useContracts, contract, soak);
        await app.StartAsync();
        var capacityMb = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024);
        foreach (var url in app.Urls)
        {
            Console.WriteLine($"LeakyService listening on {url} (memory contracts: {(useContracts ? "on, " + contract : "off")}, memory available: {capacityMb} MB, pid {Environment.ProcessId})");
        }

        await app.WaitForShutdownAsync();
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
