using MemoryContracts;

namespace Gateway;

/// <summary>
/// A YARP gateway in front of ShopApi replicas that steers by memory: cluster <c>shop</c> in
/// appsettings.json uses the <c>MemoryPressure</c> load-balancing and passive health policies.
/// <list type="bullet">
/// <item><c>dotnet run --project examples/InventoryService</c> (127.0.0.1:5081)</item>
/// <item><c>dotnet run --project examples/ShopApi</c> (127.0.0.1:5080) and
/// <c>dotnet run --project examples/ShopApi -- --urls http://127.0.0.1:5082</c></item>
/// <item><c>dotnet run --project examples/Gateway</c>, then <c>curl http://127.0.0.1:5090/catalog/products/42</c></item>
/// </list>
/// The replicas send their pressure headers to the gateway because it calls from a trusted network
/// (loopback is in the default <c>trusted_networks</c>); the gateway's clients never see them.
/// </summary>
internal static class Program
{
    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddMemoryContractsBalancing(balancing =>
                builder.Configuration.GetSection("MemoryPressureBalancing").Bind(balancing));

        await using var app = builder.Build();
        app.MapReverseProxy();
        await app.StartAsync();
        foreach (var url in app.Urls)
        {
            Console.WriteLine($"Gateway listening on {url}, balancing cluster 'shop' by memory pressure. Try {url}/catalog/products/42");
        }

        await app.WaitForShutdownAsync();
    }
}
