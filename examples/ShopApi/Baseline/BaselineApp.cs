using Microsoft.Extensions.Caching.Memory;
using OpenTelemetry.Metrics;
using ShopApi.Catalog;
using ShopApi.Checkout;
using ShopApi.Inventory;
using ShopApi.Reports;

namespace ShopApi.Baseline;

/// <summary>
/// <c>ShopApi --no-contracts</c>: the same service as <see cref="Program.CreateApp"/> without
/// MemoryContracts — no <c>AddMemoryContracts</c>, no middleware, a plain <see cref="MemoryCache"/>
/// for the catalog, health endpoints with no checks — and the same metrics subscription, so that the
/// load benchmark (bench/load.sh) measures what MemoryContracts alone costs.
/// </summary>
internal static class BaselineApp
{
    /// <summary>Builds the baseline service (not started).</summary>
    /// <param name="args">Command-line arguments (configuration: <c>--urls</c>, <c>--Inventory:BaseAddress</c>, ...).</param>
    /// <param name="configure">A last adjustment of the builder, before it builds (the tests: a test server).</param>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

        builder.Services.AddHealthChecks();
        builder.Services.AddKeyedSingleton<IMemoryCache>(CatalogEndpoints.Module, (_, _) => new MemoryCache(new MemoryCacheOptions()));
        builder.Services.AddHttpClient(InventoryClient.Name, client =>
        {
            client.BaseAddress = new Uri(builder.Configuration["Inventory:BaseAddress"] ?? "http://127.0.0.1:5081");
            client.Timeout = TimeSpan.FromSeconds(5);
        });
        builder.Services.AddSingleton<InventoryClient>();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter("MemoryContracts", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http");
            if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            {
                metrics.AddOtlpExporter();
            }
        });
        builder.Services.AddSingleton<ProductCatalog>();
        builder.Services.AddSingleton<OrderBook>();
        configure?.Invoke(builder);

        var app = builder.Build();

        // The endpoints carry their WithMemoryContract metadata, which nothing reads here.
        app.MapCatalog();
        app.MapCheckout();
        app.MapReports();
        app.MapHealthChecks("/health/ready");
        app.MapHealthChecks("/health/live");
        return app;
    }
}
