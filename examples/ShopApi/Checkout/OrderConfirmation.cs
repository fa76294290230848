namespace ShopApi.Checkout;

/// <summary>A placed order.</summary>
/// <param name="OrderId">The order's id.</param>
/// <param name="Sku">The product's stock-keeping unit.</param>
/// <param name="Quantity">Units bought.</param>
/// <param name="Total">The order's total.</param>
/// <param name="InventoryCache">What the inventory service's cache did with the stock lookup.</param>
internal sealed record OrderConfirmation(long OrderId, string Sku, int Quantity, decimal Total, string InventoryCache);
