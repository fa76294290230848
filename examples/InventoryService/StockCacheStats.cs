namespace InventoryService;

/// <summary>Counts what the module cache did for stock lookups (served at <c>GET /inventory/stats</c>).</summary>
internal sealed class StockCacheStats
{
    private long _hits;
    private long _stored;
    private long _bypassed;
    private long _refused;

    public void Hit() => Interlocked.Increment(ref _hits);

    public void Stored() => Interlocked.Increment(ref _stored);

    public void Bypassed() => Interlocked.Increment(ref _bypassed);

    public void Refused() => Interlocked.Increment(ref _refused);

    public StockCacheCounts Read() => new(Interlocked.Read(ref _hits), Interlocked.Read(ref _stored), Interlocked.Read(ref _bypassed), Interlocked.Read(ref _refused));
}
