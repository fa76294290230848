namespace ShopApi.Checkout;

/// <summary>A checkout: one product, a quantity.</summary>
/// <param name="ProductId">The product id.</param>
/// <param name="Quantity">Units to buy (1 to 100).</param>
internal sealed record CheckoutRequest(int ProductId, int Quantity);
