namespace MemoryContracts;

/// <summary>
/// The guard's current view of memory pressure. Reading <see cref="Current"/> never locks or allocates.
/// </summary>
public interface IMemoryPressure
{
    /// <summary>Gets the latest published snapshot.</summary>
    MemoryPressureSnapshot Current { get; }
}
