namespace MemoryContracts;

/// <summary>
/// The guard's current view of memory pressure. Reading <see cref="Current"/> never locks or allocates.
/// </summary>
public interface IMemoryPressure
{
    /// <summary>Gets the latest published snapshot.</summary>
    MemoryPressureSnapshot Current { get; }

    /// <summary>
    /// Registers a listener called after every snapshot the guard publishes (a level, a module's level,
    /// the usage percent, the shed fraction or the contract changed), on the guard's thread, never on a
    /// request thread. A listener that throws is logged (event 111) and the others still run. Keep
    /// listeners short: hand slow work to a queue of your own.
    /// </summary>
    /// <param name="listener">Called with each new snapshot.</param>
    /// <returns>Disposing it removes the listener; disposing it twice does nothing.</returns>
    IDisposable OnChange(Action<MemoryPressureSnapshot> listener);
}
