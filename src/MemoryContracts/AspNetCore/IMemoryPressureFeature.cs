namespace MemoryContracts;

/// <summary>
/// Memory facts of the current request, on <c>HttpContext.Features</c> once <c>UseMemoryContracts</c> ran.
/// </summary>
public interface IMemoryPressureFeature
{
    /// <summary>Gets the module the endpoint belongs to, or <see langword="null"/> when no module claims it.</summary>
    string? Module { get; }

    /// <summary>Gets the usage percent a trusted caller reported in <c>X-Memory-Usage</c>, or <see langword="null"/>.</summary>
    int? CallerUsagePercent { get; }

    /// <summary>Gets the contract version a trusted caller reported in <c>X-Memory-Contract</c>, or <see langword="null"/>.</summary>
    string? CallerContract { get; }

    /// <summary>
    /// Gets a value indicating whether cache writes should be skipped for this request because the
    /// caller reports more than <c>propagation.bypass_cache_writes_above_percent</c>.
    /// </summary>
    bool BypassCacheWrites { get; }
}
