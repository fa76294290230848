namespace MemoryContracts;

/// <summary>
/// When the readiness check <c>memory_contracts</c> reports its failure status (<c>health</c> in the
/// contract file).
/// </summary>
public sealed class HealthPolicy
{
    /// <summary>
    /// Gets the level from which <c>memory_contracts</c> reports its failure status (Unhealthy unless
    /// registered otherwise), <c>health.unready_at</c>: <see cref="PressureLevel.Critical"/> or
    /// <see cref="PressureLevel.High"/>; <see langword="null"/> (<c>never</c>) for never. Below it,
    /// Elevated and High report Degraded, also while scaled shedding runs at High. The default value is
    /// <see cref="PressureLevel.Critical"/>.
    /// </summary>
    public PressureLevel? UnreadyAt { get; init; } = PressureLevel.Critical;
}
