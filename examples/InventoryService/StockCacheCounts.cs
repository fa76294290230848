namespace InventoryService;

/// <summary>How many stock lookups hit the cache, were stored, were not stored because the caller reported pressure, or because this service is pressured.</summary>
/// <param name="Hits">Lookups served from the cache.</param>
/// <param name="Stored">Misses whose record was cached.</param>
/// <param name="Bypassed">Misses not cached because the caller reported pressure (<c>IMemoryPressureFeature.BypassCacheWrites</c>).</param>
/// <param name="Refused">Misses not cached because this service is under pressure.</param>
internal sealed record StockCacheCounts(long Hits, long Stored, long Bypassed, long Refused);
