namespace MemoryContracts;

/// <summary>
/// How the guard acts on what it grades (<c>mode</c> in the contract file).
/// </summary>
public enum MemoryContractMode
{
    /// <summary>Grade, log, measure, send headers, and run the configured responses.</summary>
    Enforce = 0,

    /// <summary>Grade, log, measure and send headers, but never act: no responder runs and nothing is shed.</summary>
    Shadow = 1,
}
