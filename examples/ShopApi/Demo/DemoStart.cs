namespace ShopApi.Demo;

/// <summary>Where the demo's services listen, once both are started.</summary>
/// <param name="Shop">The shop API's base URL (127.0.0.1, a free port).</param>
/// <param name="Inventory">The inventory service's base URL.</param>
/// <param name="SnapshotDirectory">Where the <c>snapshot</c> response writes its files.</param>
internal sealed record DemoStart(Uri Shop, Uri Inventory, string SnapshotDirectory);
