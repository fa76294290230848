namespace InventoryService;

/// <summary>
/// The inventory service on its own: <c>dotnet run --project examples/InventoryService</c>. It enforces
/// module <c>inventory</c> of the root <c>memory_contract.yaml</c> and prints the URL it listens on
/// (set one with <c>--urls</c>; the default is http://127.0.0.1:5081).
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        await using var app = InventoryApp.Create(args, builder =>
        {
            if (string.IsNullOrEmpty(builder.Configuration["urls"]))
            {
                builder.WebHost.UseUrls("http://127.0.0.1:5081");
            }
        });

        await app.StartAsync();
        foreach (var url in app.Urls)
        {
            Console.WriteLine($"InventoryService listening on {url} (GET /inventory/{{sku}}, /inventory/stats, /health/ready, /health/live)");
        }

        await app.WaitForShutdownAsync();
        return 0;
    }
}
