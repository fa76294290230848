using MemoryContracts;

namespace InventoryService;

/// <summary>
/// Builds the inventory service: one module, <c>inventory</c>, whose stock lookups go through its
/// module cache. The cache adapts to the caller: when a trusted caller reports
/// <c>X-Memory-Usage</c> above <c>bypass_cache_writes_above_percent</c>, the module cache skips writes
/// for that request (reads still hit), so a pressured caller does not make its downstream grow too.
/// </summary>
internal static class InventoryApp
{
    /// <summary>The module this service hosts.</summary>
    public const string Module = "inventory";

    /// <summary>Builds the application (not started).</summary>
    /// <param name="args">Command-line arguments (configuration).</param>
    /// <param name="configure">Adjusts the builder before the app is built (the demo and tests use it).</param>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // The content root is the output folder: the build copies memory_contract.yaml there.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.Services.AddMemoryContracts(options =>
        {
            if (options.Modules.Count == 0)
            {
                options.Modules.Add(Module);
            }
        });
        builder.Services.AddHealthChecks().AddMemoryContracts();
        builder.Services.AddMemoryContractCache(Module);
        builder.Services.AddSingleton<StockLedger>();
        builder.Services.AddSingleton<StockCacheStats>();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseMemoryContracts();

        app.MapGet("/inventory/stats", (StockCacheStats stats) => stats.Read());
        app.MapGet("/inventory/{sku}", StockEndpoints.Get).WithMemoryContract(Module);
        app.MapPost("/inventory/{sku}/reserve", StockEndpoints.Reserve).WithMemoryContract(Module);
        app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready") });
        app.MapHealthChecks("/health/live", new() { Predicate = c => c.Tags.Contains("live") });
        return app;
    }
}
