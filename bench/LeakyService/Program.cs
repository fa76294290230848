using System.Globalization;

namespace LeakyService;

/// <summary>
/// <c>LeakyService [--no-contracts] [--urls URL]</c>: the leaky service (run it under
/// <c>DOTNET_GCHeapHardLimit</c>). <c>LeakyService drive --url URL [--seconds N] [--growth-mbps N]
/// [--core-rps N]</c>: the survival run's clients. See <c>bench/survival.sh</c>.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "drive")
        {
            var url = new Uri(Option(args, "--url") ?? throw new ArgumentException("drive needs --url http://127.0.0.1:PORT"));
            return await SurvivalDriver.RunAsync(
                url,
                TimeSpan.FromSeconds(int.Parse(Option(args, "--seconds") ?? "20", CultureInfo.InvariantCulture)),
                int.Parse(Option(args, "--growth-mbps") ?? "120", CultureInfo.InvariantCulture),
                int.Parse(Option(args, "--core-rps") ?? "50", CultureInfo.InvariantCulture),
                Console.Out);
        }

        OomTripwire.Arm();
        var useContracts = !args.Contains("--no-contracts");
        await using var app = LeakyApp.Create([.. args.Where(a => a != "--no-contracts")], useContracts);
        await app.StartAsync();
        var capacityMb = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024);
        foreach (var url in app.Urls)
        {
            Console.WriteLine($"LeakyService listening on {url} (memory contracts: {(useContracts ? "on" : "off")}, memory available: {capacityMb} MB)");
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
