namespace ShopApi.Inventory;

/// <summary>The inventory service's answer to a stock lookup.</summary>
/// <param name="Sku">The stock-keeping unit.</param>
/// <param name="Available">Units available.</param>
/// <param name="Cache">What the inventory's cache did: <c>hit</c>, <c>stored</c>, <c>bypassed</c> (we reported pressure) or <c>refused</c>.</param>
/// <param name="CallerUsagePercent">The usage this service reported in <c>X-Memory-Usage</c>, as the inventory read it.</param>
internal sealed record StockAnswer(string Sku, int Available, string Cache, int? CallerUsagePercent);
