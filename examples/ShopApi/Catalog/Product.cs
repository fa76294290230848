namespace ShopApi.Catalog;

/// <summary>A product as the catalog loads it: what the catalog's cache keeps.</summary>
/// <param name="Id">The product id.</param>
/// <param name="Sku">The stock-keeping unit (the inventory service's key).</param>
/// <param name="Name">The product's name.</param>
/// <param name="Price">The unit price.</param>
/// <param name="Image">The product's thumbnail (what makes an entry weigh something).</param>
internal sealed record Product(int Id, string Sku, string Name, decimal Price, byte[] Image);
