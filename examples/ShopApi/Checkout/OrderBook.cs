namespace ShopApi.Checkout;

/// <summary>The orders placed since start (what the reports module reads).</summary>
internal sealed class OrderBook
{
    private long _orders;
    private long _revenueCents;

    public long Orders => Interlocked.Read(ref _orders);

    public decimal Revenue => Interlocked.Read(ref _revenueCents) / 100m;

    public long Place(decimal total)
    {
        Interlocked.Add(ref _revenueCents, (long)(total * 100));
        return Interlocked.Increment(ref _orders);
    }
}
