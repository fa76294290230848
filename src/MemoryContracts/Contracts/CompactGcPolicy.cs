namespace MemoryContracts;

/// <summary>
/// Rate limit of the <c>compact_gc</c> response (<c>responses.compact_gc</c> in the contract file).
/// </summary>
public sealed class CompactGcPolicy
{
    /// <summary>Gets the shortest time between two induced compacting collections. The default value is 30 seconds.</summary>
    public TimeSpan MinInterval { get; init; } = TimeSpan.FromSeconds(30);
}
