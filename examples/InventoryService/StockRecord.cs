namespace InventoryService;

/// <summary>A stock record as the ledger returns it, movement history included.</summary>
/// <param name="Sku">The stock-keeping unit.</param>
/// <param name="Available">Units available.</param>
/// <param name="History">The movement history (what makes a record worth caching).</param>
internal sealed record StockRecord(string Sku, int Available, byte[] History);
