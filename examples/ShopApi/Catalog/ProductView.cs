namespace ShopApi.Catalog;

/// <summary>A product as the API returns it.</summary>
/// <param name="Id">The product id.</param>
/// <param name="Sku">The stock-keeping unit.</param>
/// <param name="Name">The product's name.</param>
/// <param name="Price">The unit price.</param>
/// <param name="ImageBytes">The thumbnail's size.</param>
internal sealed record ProductView(int Id, string Sku, string Name, decimal Price, int ImageBytes);
