namespace InventoryService;

/// <summary>The answer to a stock lookup.</summary>
/// <param name="Sku">The stock-keeping unit.</param>
/// <param name="Available">Units available.</param>
/// <param name="Cache">What the module cache did: <c>hit</c>, <c>stored</c>, <c>bypassed</c> (the caller reported pressure) or <c>refused</c> (this service is pressured).</param>
/// <param name="CallerUsagePercent">The caller's <c>X-Memory-Usage</c>, when it sent one and is trusted.</param>
internal sealed record StockResponse(string Sku, int Available, string Cache, int? CallerUsagePercent);
