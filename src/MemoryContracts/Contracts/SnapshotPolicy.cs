namespace MemoryContracts;

/// <summary>
/// Where and how often the <c>snapshot</c> response writes diagnostics (<c>responses.snapshot</c>).
/// </summary>
public sealed class SnapshotPolicy
{
    /// <summary>
    /// Gets the directory the JSON snapshots are written to; <see langword="null"/> means the system's
    /// temporary directory. The default value is <see langword="null"/>.
    /// </summary>
    public string? Directory { get; init; }

    /// <summary>Gets the shortest time between two snapshots. The default value is 300 seconds.</summary>
    public TimeSpan MinInterval { get; init; } = TimeSpan.FromSeconds(300);
}
