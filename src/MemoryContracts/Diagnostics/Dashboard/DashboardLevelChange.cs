namespace MemoryContracts;

/// <summary>A change of the overall level (<paramref name="Module"/> is <see langword="null"/>) or of one module's level.</summary>
/// <param name="At">When the change was recorded.</param>
/// <param name="Module">The module whose level changed, or <see langword="null"/> for the overall level.</param>
/// <param name="From">The level before.</param>
/// <param name="To">The level after.</param>
internal readonly record struct DashboardLevelChange(DateTimeOffset At, string? Module, PressureLevel From, PressureLevel To);
