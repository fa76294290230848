namespace MemoryContracts;

/// <summary>
/// Where and how often the <c>dump</c> response writes heap dumps (<c>responses.dump</c>).
/// </summary>
public sealed class DumpPolicy
{
    /// <summary>
    /// Gets the directory the dumps are written to; <see langword="null"/> means a private directory
    /// (mode 0700) under the system's temporary directory. The default value is <see langword="null"/>.
    /// </summary>
    public string? Directory { get; init; }

    /// <summary>Gets the shortest time between two dumps. The default value is 3600 seconds.</summary>
    public TimeSpan MinInterval { get; init; } = TimeSpan.FromSeconds(3600);

    /// <summary>
    /// Gets how many dumps are kept in the directory (at least 1); the oldest are deleted past it.
    /// The default value is 2.
    /// </summary>
    public int MaxFiles { get; init; } = 2;
}
