namespace MemoryContracts;

/// <summary>
/// A change of the overall pressure level, given to each <see cref="IMemoryPressureResponder"/>
/// named for the new level.
/// </summary>
public sealed class MemoryPressureChange
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="previousLevel">The level before the change.</param>
    /// <param name="snapshot">The snapshot that carries the new level.</param>
    /// <param name="contract">The contract in force.</param>
    public MemoryPressureChange(PressureLevel previousLevel, MemoryPressureSnapshot snapshot, MemoryContract contract)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(contract);
        PreviousLevel = previousLevel;
        Snapshot = snapshot;
        Contract = contract;
    }

    /// <summary>Gets the level before the change.</summary>
    public PressureLevel PreviousLevel { get; }

    /// <summary>Gets the new level.</summary>
    public PressureLevel Level => Snapshot.Level;

    /// <summary>Gets a value indicating whether the level went up.</summary>
    public bool IsEscalation => Level > PreviousLevel;

    /// <summary>Gets the snapshot that carries the new level.</summary>
    public MemoryPressureSnapshot Snapshot { get; }

    /// <summary>Gets the contract in force.</summary>
    public MemoryContract Contract { get; }
}
