using MemoryContracts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Caching.Memory;

namespace InventoryService;

/// <summary>The stock endpoints of module <c>inventory</c>.</summary>
internal static class StockEndpoints
{
    private static readonly MemoryCacheEntryOptions EntryOptions = new()
    {
        SlidingExpiration = TimeSpan.FromMinutes(5),
        Size = StockLedger.HistoryBytes + 128,
    };

    /// <summary>
    /// Looks a SKU up through the module cache. A miss is written back unless the module cache refuses
    /// the write: because the caller reported pressure (<see cref="IMemoryPressureFeature.BypassCacheWrites"/>)
    /// or because this service is itself at High or above. The answer says which (<c>X-Inventory-Cache</c>).
    /// </summary>
    public static StockResponse Get(
        string sku,
        HttpContext context,
        [FromKeyedServices(InventoryApp.Module)] IMemoryCache cache,
        StockLedger ledger,
        StockCacheStats stats,
        ILogger<StockLedger> logger)
    {
        var pressure = context.Features.Get<IMemoryPressureFeature>();
        string outcome;
        if (cache.TryGetValue(sku, out StockRecord? record) && record is not null)
        {
            outcome = "hit";
            stats.Hit();
        }
        else
        {
            record = ledger.Lookup(sku);
            cache.Set(sku, record, EntryOptions);
            if (cache.TryGetValue(sku, out _))
            {
                outcome = "stored";
                stats.Stored();
            }
            else if (pressure is { BypassCacheWrites: true })
            {
                outcome = "bypassed";
                stats.Bypassed();
                InventoryLog.CacheWriteBypassed(logger, sku, pressure.CallerUsagePercent ?? 0);
            }
            else
            {
                outcome = "refused";
                stats.Refused();
                InventoryLog.CacheWriteRefused(logger, sku);
            }
        }

        context.Response.Headers["X-Inventory-Cache"] = outcome;
        return new StockResponse(sku, record.Available, outcome, pressure?.CallerUsagePercent);
    }

    /// <summary>Reserves units of a SKU (what checkout calls).</summary>
    public static IResult Reserve(string sku, [FromQuery] int? quantity, StockLedger ledger, [FromKeyedServices(InventoryApp.Module)] IMemoryCache cache)
    {
        var units = quantity ?? 1;
        if (units is < 1 or > 100)
        {
            return Results.Problem($"quantity must be 1 to 100, not {units}.", statusCode: StatusCodes.Status400BadRequest);
        }

        ledger.Reserve(sku, units);
        cache.Remove(sku);
        return Results.Ok(new { sku, reserved = units });
    }
}
