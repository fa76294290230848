using MemoryContracts;
using ShopApi.Catalog;
using ShopApi.Inventory;

namespace ShopApi.Checkout;

/// <summary>Module <c>checkout</c> (core): never shed, trimmed last.</summary>
internal static class CheckoutEndpoints
{
    /// <summary>The module's name in the contract.</summary>
    public const string Module = "checkout";

    public static void MapCheckout(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/checkout", PlaceOrderAsync).WithMemoryContract(Module);
    }

    private static async Task<IResult> PlaceOrderAsync(CheckoutRequest request, ProductCatalog products, InventoryClient inventory, OrderBook orders, CancellationToken cancellationToken)
    {
        if (request.Quantity is < 1 or > 100)
        {
            return Results.Problem($"Quantity must be 1 to 100, not {request.Quantity}.", statusCode: StatusCodes.Status400BadRequest);
        }

        if (products.Load(request.ProductId) is not { } product)
        {
            return Results.Problem($"No product {request.ProductId}.", statusCode: StatusCodes.Status404NotFound);
        }

        var stock = await inventory.GetStockAsync(product.Sku, cancellationToken);
        if (stock is null || !await inventory.ReserveAsync(product.Sku, request.Quantity, cancellationToken))
        {
            return Results.Problem("The inventory service is unavailable; try again shortly.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var total = product.Price * request.Quantity;
        var orderId = orders.Place(total);
        return Results.Ok(new OrderConfirmation(orderId, product.Sku, request.Quantity, total, stock.Cache));
    }
}
