namespace MemoryContracts;

/// <summary>
/// A response the guard runs when the pressure level changes. Register one in DI and name it
/// (<see cref="Name"/>) in the contract's <c>responses</c> lists.
/// </summary>
public interface IMemoryPressureResponder
{
    /// <summary>Gets the name used in the contract's <c>responses</c> lists.</summary>
    string Name { get; }

    /// <summary>Runs the response. Called off the request path; an exception is logged and counted.</summary>
    /// <param name="change">The level change.</param>
    /// <param name="cancellationToken">Signalled when the host stops.</param>
    /// <returns>A task that completes when the response is done.</returns>
    ValueTask OnLevelChangedAsync(MemoryPressureChange change, CancellationToken cancellationToken);
}
