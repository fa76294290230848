using System.Net.Http.Json;
using MemoryContracts;

namespace ShopApi.Inventory;

/// <summary>
/// Calls the inventory service through the named <c>IHttpClientFactory</c> client <see cref="Name"/>.
/// MemoryContracts' outbound handler adds <c>X-Memory-*</c> to each call and, when most recent answers
/// of the inventory service are memory rejections, refuses calls made outside core requests locally in
/// proportion: they fail with <see cref="MemoryPressureRejectedException"/>, which this client reports as
/// unavailable. Calls made while serving checkout (a core module) always go out.
/// </summary>
internal sealed class InventoryClient
{
    /// <summary>The named client's name.</summary>
    public const string Name = "inventory";

    private readonly IHttpClientFactory _clients;

    public InventoryClient(IHttpClientFactory clients) => _clients = clients;

    /// <summary>Looks a SKU's stock up; <see langword="null"/> when the inventory service is unavailable or backed off.</summary>
    public async Task<StockAnswer?> GetStockAsync(string sku, CancellationToken cancellationToken)
    {
        try
        {
            var client = _clients.CreateClient(Name);
            return await client.GetFromJsonAsync<StockAnswer>(new Uri("/inventory/" + Uri.EscapeDataString(sku), UriKind.Relative), cancellationToken);
        }
        catch (Exception exception) when (IsUnavailable(exception, cancellationToken))
        {
            return null;
        }
    }

    /// <summary>Reserves units of a SKU; <see langword="false"/> when the inventory service is unavailable or backed off.</summary>
    public async Task<bool> ReserveAsync(string sku, int quantity, CancellationToken cancellationToken)
    {
        try
        {
            var client = _clients.CreateClient(Name);
            using var response = await client.PostAsync(new Uri($"/inventory/{Uri.EscapeDataString(sku)}/reserve?quantity={quantity}", UriKind.Relative), content: null, cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (Exception exception) when (IsUnavailable(exception, cancellationToken))
        {
            return false;
        }
    }

    private static bool IsUnavailable(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        MemoryPressureRejectedException => true,         // backed off: the inventory is shedding under memory pressure
        HttpRequestException => true,                    // unreachable or not a success
        TaskCanceledException => !cancellationToken.IsCancellationRequested, // timed out
        System.Text.Json.JsonException => true,
        _ => false,
    };
}
