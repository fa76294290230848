using System.Globalization;

namespace ShopApi.Catalog;

/// <summary>
/// The product source (a stand-in for a database): a load is "expensive", which is why the catalog
/// caches products.
/// </summary>
internal sealed class ProductCatalog
{
    /// <summary>The products that exist: ids 1 to <see cref="Count"/>.</summary>
    public const int Count = 100_000;

    /// <summary>The size of a product's thumbnail, in bytes.</summary>
    public const int ImageBytes = 16 * 1024;

    private long _loads;

    /// <summary>Gets how many products were loaded (cache misses, for the catalog).</summary>
    public long Loads => Interlocked.Read(ref _loads);

    public static string SkuOf(int id) => "SKU-" + id.ToString("D6", CultureInfo.InvariantCulture);

    public Product? Load(int id)
    {
        if (id is < 1 or > Count)
        {
            return null;
        }

        Interlocked.Increment(ref _loads);
        var image = new byte[ImageBytes];
        new Random(id).NextBytes(image.AsSpan(0, 256));
        var price = 5m + (id % 200);
        return new Product(id, SkuOf(id), string.Create(CultureInfo.InvariantCulture, $"Product {id}"), price, image);
    }
}
