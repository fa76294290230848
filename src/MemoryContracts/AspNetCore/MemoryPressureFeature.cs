namespace MemoryContracts;

/// <summary>
/// The immutable <see cref="IMemoryPressureFeature"/> the middleware puts on a request. One instance
/// per module serves every request whose caller reported nothing; a new one is made only for a
/// trusted caller that reported its pressure.
/// </summary>
internal sealed class MemoryPressureFeature : IMemoryPressureFeature
{
    public MemoryPressureFeature(string? module, int? callerUsagePercent = null, string? callerContract = null, bool bypassCacheWrites = false)
    {
        Module = module;
        CallerUsagePercent = callerUsagePercent;
        CallerContract = callerContract;
        BypassCacheWrites = bypassCacheWrites;
    }

    public string? Module { get; }

    public int? CallerUsagePercent { get; }

    public string? CallerContract { get; }

    public bool BypassCacheWrites { get; }
}
