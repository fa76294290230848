namespace LeakyService;

/// <summary>What <c>GET /stats</c> reports.</summary>
/// <param name="HeapMb">The GC heap now, in MB.</param>
/// <param name="LeakedMb">MB held by the static leak.</param>
/// <param name="Level">The guard's level (<c>none</c> without contracts).</param>
/// <param name="UsagePercent">The heap against the budget.</param>
/// <param name="CapacityMb">The memory available to the process (the hard limit), in MB.</param>
internal sealed record Stats(long HeapMb, int LeakedMb, string Level, int UsagePercent, long CapacityMb);
