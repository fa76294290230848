namespace MemoryContracts;

/// <summary>
/// When a leak is suspected (<c>leak_detection</c>): the heap left after each full (gen 2)
/// collection grew across the last <see cref="FullGcs"/> of them by at least
/// <see cref="MinGrowthBytes"/> in all.
/// </summary>
public sealed class LeakDetectionPolicy
{
    /// <summary>Gets a value indicating whether leak detection runs. The default value is <see langword="true"/>.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// Gets how many consecutive full collections the growth is judged over (at least 2). The default
    /// value is 5.
    /// </summary>
    public int FullGcs { get; init; } = 5;

    /// <summary>
    /// Gets the least growth, in bytes, of the heap left after a full collection across
    /// <see cref="FullGcs"/> of them (<c>min_growth_mb</c> × 1 MiB). The default value is 16 MiB.
    /// </summary>
    public long MinGrowthBytes { get; init; } = 16L * 1024 * 1024;
}
