namespace LeakyService;

/// <summary>A core request's body and answer.</summary>
/// <param name="Id">The order id.</param>
/// <param name="Quantity">Units.</param>
/// <param name="Total">The priced total (in the answer).</param>
internal sealed record Order(long Id, int Quantity, int Total);
