namespace MemoryContracts;

/// <summary>
/// A cache or pool that the guard may trim. Register one with <c>AddMemoryTrimmable</c>; its
/// <see cref="EstimatedBytes"/> count as its module's heap.
/// </summary>
public interface IMemoryTrimmable
{
    /// <summary>Gets a name for logs and diagnostic snapshots.</summary>
    string Name { get; }

    /// <summary>
    /// Gets the bytes this trimmable holds, estimated. Read on the guard's timer: must be cheap. If it
    /// throws, the guard counts it as 0 bytes and logs the failure once (event 212).
    /// </summary>
    long EstimatedBytes { get; }

    /// <summary>Frees a fraction of what this trimmable holds.</summary>
    /// <param name="fraction">The fraction to free, in (0, 1].</param>
    /// <returns>The bytes freed, estimated. If it throws, the others are still trimmed (event 211).</returns>
    long Trim(double fraction);
}
