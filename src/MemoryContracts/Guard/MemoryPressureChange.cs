namespace MemoryContracts;

/// <summary>
/// A change of the overall pressure level, handed to responders off the sampling loop. A responder is
/// called when the overall level changes if the contract names it for the new level (to act) or for the
/// previous level (to undo what the new level does not need); on the return to Normal every responder
/// the contract names is called (to undo); and when a reloaded contract stops running it (it switches
/// to shadow, or no longer names it for the level in force) it is called as on a return to Normal.
/// Use <see cref="ShouldAct"/> to tell acting from undoing.
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

    /// <summary>Gets the contract the change is graded under (on an undo after a reload, the contract the responder acted under).</summary>
    public MemoryContract Contract { get; }

    /// <summary>
    /// Whether the responder named <paramref name="responderName"/> is called to act: the contract names
    /// it for the new level. Otherwise it is called to undo what it put in force (the new level, or a
    /// reloaded contract, no longer needs it).
    /// </summary>
    /// <param name="responderName">The responder's <see cref="IMemoryPressureResponder.Name"/>.</param>
    /// <returns><see langword="true"/> to act; <see langword="false"/> to undo.</returns>
    public bool ShouldAct(string responderName)
    {
        ArgumentNullException.ThrowIfNull(responderName);
        return Contract.Responses.For(Level).Contains(responderName, StringComparer.Ordinal);
    }
}
