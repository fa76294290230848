namespace MemoryContracts;

/// <summary>What a trusted caller reported about itself in its request headers.</summary>
/// <param name="UsagePercent">The caller's <c>X-Memory-Usage</c>, or <see langword="null"/>.</param>
/// <param name="Contract">The caller's <c>X-Memory-Contract</c>, or <see langword="null"/>.</param>
/// <param name="BypassCacheWrites">Whether the caller's usage is above <c>bypass_cache_writes_above_percent</c>.</param>
internal readonly record struct CallerPressure(int? UsagePercent, string? Contract, bool BypassCacheWrites)
{
    /// <summary>Gets a value indicating whether the caller reported nothing (or was not trusted).</summary>
    public bool IsEmpty => UsagePercent is null && Contract is null;
}
