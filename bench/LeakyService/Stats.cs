namespace LeakyService;

/// <summary>What <c>GET /stats</c> reports.</summary>
/// <param name="HeapMb">The GC heap now, in MB.</param>
/// <param name="LeakedMb">MB held by the static (managed) leak.</param>
/// <param name="Level">The guard's level (<c>none</c> without contracts).</param>
/// <param name="UsagePercent">The binding constraint's usage: the heap against its budget, or the working set against the container limit.</param>
/// <param name="CapacityMb">The memory available to the GC (the hard limit), in MB.</param>
/// <param name="NativeMb">MB held by the native leak.</param>
/// <param name="WorkingSetMb">The container working set the guard last read, in MB (null without contracts or a cgroup).</param>
/// <param name="ContainerLimitMb">The container limit the guard grades against, in MB (null without one).</param>
/// <param name="HighestLevel">The highest level the guard published since start (<c>none</c> without contracts).</param>
internal sealed record Stats(long HeapMb, int LeakedMb, string Level, int UsagePercent, long CapacityMb, int NativeMb, long? WorkingSetMb, long? ContainerLimitMb, string HighestLevel);
