using MemoryContracts;
using Microsoft.Extensions.Caching.Memory;
using ShopApi.Catalog;
using ShopApi.Checkout;
using ShopApi.Demo;
using ShopApi.Inventory;
using ShopApi.Reports;
using ShopApi.Telemetry;

namespace ShopApi;

/// <summary>
/// The shop API: modules <c>catalog</c> (non-core, cache heavy), <c>checkout</c> (core) and
/// <c>reports</c> (non-core, with a leak to play with), enforced against the root
/// <c>memory_contract.yaml</c>.
/// <list type="bullet">
/// <item><c>dotnet run --project examples/ShopApi</c>: the service, on the printed URL.</item>
/// <item><c>-- --demo</c>: the self-driving demo (add <c>--fast</c> for the short version CI runs).</item>
/// <item><c>-- --no-contracts</c>: the same service without MemoryContracts (for the load benchmark).</item>
/// </list>
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Contains("--demo"))
        {
            return await DemoConsole.RunAsync(fast: args.Contains("--fast"), Console.Out);
        }

        var options = new ShopOptions { UseContracts = !args.Contains("--no-contracts") };
        await using var app = CreateApp([.. args.Where(a => a != "--no-contracts")], options);
        await app.StartAsync();
        foreach (var url in app.Urls)
        {
            Console.WriteLine($"ShopApi listening on {url} ({(options.UseContracts ? "memory contracts enforced" : "no memory contracts")}). Try {url}/catalog/products/42");
        }

        await app.WaitForShutdownAsync();
        return 0;
    }

    /// <summary>Builds the shop API (not started): the composition the README walks through.</summary>
    /// <param name="args">Command-line arguments (configuration: <c>--urls</c>, <c>--Inventory:BaseAddress</c>, ...).</param>
    /// <param name="options">What the demo and the benchmarks vary.</param>
    public static WebApplication CreateApp(string[] args, ShopOptions? options = null)
    {
        options ??= new ShopOptions();

        // The content root is the output folder: the build copies appsettings.json and the system's
        // memory_contract.yaml (from the repository root) there, so `dotnet run` works from anywhere.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

        if (options.UseContracts)
        {
            // 1. The contract: memory_contract.yaml from the content root; this process hosts the
            //    modules listed in MemoryContracts:Modules (appsettings.json: catalog, checkout, reports).
            builder.Services.AddMemoryContracts(contracts =>
            {
                if (options.Contract is not null)
                {
                    contracts.Contract = options.Contract;
                }
            });

            // 2. Probes: memory_contracts (tag "ready") and memory_contracts_guard (tag "live").
            builder.Services.AddHealthChecks().AddMemoryContracts();

            // 3. The catalog's cache belongs to module "catalog": the guard trims it under pressure
            //    and it stops taking writes at High. No SizeLimit: the contract is its bound.
            builder.Services.AddMemoryContractCache(CatalogEndpoints.Module);
        }
        else
        {
            builder.Services.AddHealthChecks();
            builder.Services.AddKeyedSingleton<IMemoryCache>(CatalogEndpoints.Module, (_, _) => new MemoryCache(new MemoryCacheOptions()));
        }

        // 4. Calls to the inventory service. Every IHttpClientFactory client carries X-Memory-Usage,
        //    X-Memory-Capacity and X-Memory-Contract to internal hosts, and backs off a downstream
        //    that reports pressure (PropagateToAllHttpClients, on by default).
        var inventory = options.InventoryBaseAddress ?? builder.Configuration["Inventory:BaseAddress"] ?? "http://127.0.0.1:5081";
        builder.Services.AddHttpClient(InventoryClient.Name, client =>
        {
            client.BaseAddress = new Uri(inventory);
            client.Timeout = TimeSpan.FromSeconds(5);
        });
        builder.Services.AddSingleton<InventoryClient>();

        // 5. Metrics: the OpenTelemetry SDK subscribes to the "MemoryContracts" meter (and ASP.NET
        //    Core's); OTLP export when OTEL_EXPORTER_OTLP_ENDPOINT is set.
        builder.Services.AddSingleton(_ => ShopTelemetry.Create());

        builder.Services.AddSingleton<ProductCatalog>();
        builder.Services.AddSingleton<OrderBook>();
        options.ConfigureBuilder?.Invoke(builder);

        var app = builder.Build();
        _ = app.Services.GetRequiredService<OpenTelemetry.OpenTelemetrySdk>();

        // 6. The middleware, early: it resolves each request's module, sheds non-core requests under
        //    pressure (429 + Retry-After) and reads/writes the X-Memory-* headers.
        if (options.UseContracts)
        {
            app.UseMemoryContracts();
        }

        // 7. Endpoints, each assigned to its module.
        app.MapCatalog();
        app.MapCheckout();
        app.MapReports();

        // 8. Probe wiring: readiness follows pressure (Unhealthy at Critical takes the instance out of
        //    the load balancer); liveness only fails if the guard stopped sampling.
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready") });
        app.MapHealthChecks("/health/live", new() { Predicate = check => check.Tags.Contains("live") });
        return app;
    }
}
