namespace ShopApi.Demo;

/// <summary>A module's request counts (a total or the difference between two frames).</summary>
/// <param name="Module">The module.</param>
/// <param name="Served">Requests answered 2xx.</param>
/// <param name="Shed">Requests shed with 429.</param>
/// <param name="Failed">Requests that failed otherwise.</param>
internal sealed record ModuleCounts(string Module, long Served, long Shed, long Failed)
{
    public ModuleCounts Minus(ModuleCounts earlier) => new(Module, Served - earlier.Served, Shed - earlier.Shed, Failed - earlier.Failed);
}
