using System.Collections.Concurrent;

namespace InventoryService;

/// <summary>
/// The system of record for stock (an in-memory stand-in for a database). A lookup is "expensive":
/// it builds a record with a movement history, which is what the module cache keeps.
/// </summary>
internal sealed class StockLedger
{
    /// <summary>The size of a record's movement history, in bytes: what a cached entry costs.</summary>
    public const int HistoryBytes = 16 * 1024;

    private readonly ConcurrentDictionary<string, int> _reserved = new(StringComparer.Ordinal);

    public StockRecord Lookup(string sku)
    {
        var seed = StringComparer.Ordinal.GetHashCode(sku);
        var history = new byte[HistoryBytes];
        new Random(seed).NextBytes(history);
        var onHand = 50 + Math.Abs(seed % 950);
        var reserved = _reserved.GetValueOrDefault(sku);
        return new StockRecord(sku, Math.Max(0, onHand - reserved), history);
    }

    public int Reserve(string sku, int quantity) => _reserved.AddOrUpdate(sku, quantity, (_, current) => current + quantity);
}
