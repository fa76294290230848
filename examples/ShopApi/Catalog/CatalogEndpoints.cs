using MemoryContracts;
using Microsoft.Extensions.Caching.Memory;

namespace ShopApi.Catalog;

/// <summary>Module <c>catalog</c> (non-core): product lookups through the module's cache.</summary>
internal static class CatalogEndpoints
{
    /// <summary>The module's name in the contract.</summary>
    public const string Module = "catalog";

    private static readonly TimeSpan SlidingExpiration = TimeSpan.FromMinutes(10);

    public static void MapCatalog(this IEndpointRouteBuilder endpoints)
    {
        var catalog = endpoints.MapGroup("/catalog").WithMemoryContract(Module);
        catalog.MapGet("/products/{id:int}", GetProduct);
    }

    /// <summary>
    /// Reads through the module cache. Under pressure the module cache refuses the write but
    /// <c>GetOrCreate</c> still returns the product: the request is served, just not cached.
    /// </summary>
    private static IResult GetProduct(int id, [FromKeyedServices(Module)] IMemoryCache cache, ProductCatalog products)
    {
        var product = cache.GetOrCreate(id, entry =>
        {
            var loaded = products.Load(id);
            entry.Size = loaded is null ? 64 : ProductCatalog.ImageBytes + 256;
            entry.SlidingExpiration = SlidingExpiration;
            return loaded;
        });

        return product is null
            ? Results.Problem($"No product {id}.", statusCode: StatusCodes.Status404NotFound)
            : Results.Ok(new ProductView(product.Id, product.Sku, product.Name, product.Price, product.Image.Length));
    }
}
