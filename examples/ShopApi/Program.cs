using MemoryContracts;
using OpenTelemetry.Metrics;
using ShopApi.Baseline;
using ShopApi.Catalog;
using ShopApi.Checkout;
using ShopApi.Demo;
using ShopApi.Inventory;
using ShopApi.Reports;

namespace ShopApi;

/// <summary>
/// The shop API: modules <c>catalog</c> (non-core, cache heavy), <c>checkout</c> (core) and
/// <c>reports</c> (non-core, with a leak to play with), enforced against the root
/// <c>memory_contract.yaml</c>. <see cref="CreateApp"/> is the whole composition.
/// <list type="bullet">
/// <item><c>dotnet run --project examples/ShopApi</c>: the service, on the printed URL.</item>
/// <item><c>-- --demo</c>: the self-driving demo (add <c>--fast</c> for the short version CI runs), in <c>Demo/</c>.</item>
/// <item><c>-- --no-contracts</c>: the same service without MemoryContracts (the load benchmark's baseline), in <c>Baseline/</c>.</item>
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

        if (args.Contains("--no-contracts"))
        {
            return await ShopHost.RunAsync(BaselineApp.Create([.. args.Where(a => a != "--no-contracts")]), "no memory contracts");
        }

        return await ShopHost.RunAsync(CreateApp(args), "memory contracts enforced");
    }

    /// <summary>Builds the shop API (not started): the composition docs/demo.md walks through.</summary>
    /// <param name="args">Command-line arguments (configuration: <c>--urls</c>, <c>--Inventory:BaseAddress</c>, ...).</param>
    /// <param name="configure">A last adjustment of the builder, before it builds (the demo and the tests: ports, a contract in code, logging).</param>
    public static WebApplication CreateApp(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // The content root is the output folder: the build copies appsettings.json and the system's
        // memory_contract.yaml (from the repository root) there, so `dotnet run` works from anywhere.
        // In your own service, WebApplication.CreateBuilder(args) is all you need.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

        // 1. The contract: memory_contract.yaml from the content root; this process hosts the modules
        //    listed in MemoryContracts:Modules (appsettings.json: catalog, checkout, reports).
        builder.Services.AddMemoryContracts();

        // 2. Probes: memory_contracts (tag "ready") and memory_contracts_guard (tag "live").
        builder.Services.AddHealthChecks().AddMemoryContracts();

        // 3. The catalog's cache belongs to module "catalog": the guard trims it under pressure and it
        //    refuses writes at High. No SizeLimit: the contract is its bound.
        builder.Services.AddMemoryContractCache(CatalogEndpoints.Module);

        // 4. Calls to the inventory service. Every IHttpClientFactory client carries X-Memory-Usage,
        //    X-Memory-Capacity and X-Memory-Contract to internal hosts, and backs off a downstream that
        //    reports pressure (PropagateToAllHttpClients, on by default).
        builder.Services.AddHttpClient(InventoryClient.Name, client =>
        {
            client.BaseAddress = new Uri(builder.Configuration["Inventory:BaseAddress"] ?? "http://127.0.0.1:5081");
            client.Timeout = TimeSpan.FromSeconds(5);
        });
        builder.Services.AddSingleton<InventoryClient>();

        // 5. Metrics: OpenTelemetry subscribes to the "MemoryContracts" meter by name (and to ASP.NET
        //    Core's and HttpClient's). OTLP export only when an endpoint is configured: the environment
        //    variable OTEL_EXPORTER_OTLP_ENDPOINT, or the same key in appsettings.json or on the command line.
        builder.Services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter("MemoryContracts", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http");
            if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            {
                metrics.AddOtlpExporter();
            }
        });

        // The shop's own services.
        builder.Services.AddSingleton<ProductCatalog>();
        builder.Services.AddSingleton<OrderBook>();
        configure?.Invoke(builder);

        var app = builder.Build();

        // With --Replica NAME (bench/fleet.sh runs three), every response says which replica sent it.
        app.UseReplicaHeader();

        // 6. The middleware, early: it resolves each request's module, sheds non-core requests under
        //    pressure (429 + Retry-After) and reads/writes the X-Memory-* headers.
        app.UseMemoryContracts();

        // 7. Endpoints, each assigned to its module with WithMemoryContract (see Catalog/, Checkout/, Reports/).
        app.MapCatalog();
        app.MapCheckout();
        app.MapReports();

        // 8. Probe wiring: readiness follows pressure (Unhealthy at Critical takes the instance out of
        //    the load balancer); liveness only fails if the guard stopped sampling.
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready") });
        app.MapHealthChecks("/health/live", new() { Predicate = check => check.Tags.Contains("live") });

        app.MapMemoryContractsDashboard();
        return app;
    }
}
