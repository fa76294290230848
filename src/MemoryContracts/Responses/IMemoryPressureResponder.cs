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
    /// <remarks>
    /// Called to act when named for the new level, and to undo otherwise: when the level leaves one it
    /// is named for, on the return to <see cref="PressureLevel.Normal"/>, and when a reloaded contract
    /// stops running it while pressure holds (a switch to <c>mode: shadow</c>, or a contract that no
    /// longer names it for the current level). That last call looks like a return to Normal:
    /// <see cref="MemoryPressureChange.Level"/> is <see cref="PressureLevel.Normal"/>, and
    /// <see cref="MemoryPressureChange.Contract"/> is the contract the responder acted under.
    /// </remarks>
    /// <param name="change">The level change.</param>
    /// <param name="cancellationToken">Signalled when the host stops.</param>
    /// <returns>A task that completes when the response is done.</returns>
    ValueTask OnLevelChangedAsync(MemoryPressureChange change, CancellationToken cancellationToken);
}
