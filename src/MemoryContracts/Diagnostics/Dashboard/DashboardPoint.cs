namespace MemoryContracts;

/// <summary>One point of the dashboard's history: a published snapshot and when the recorder saw it.</summary>
/// <param name="At">When the snapshot was recorded (the recorder's <see cref="TimeProvider"/>).</param>
/// <param name="Snapshot">The snapshot.</param>
internal readonly record struct DashboardPoint(DateTimeOffset At, MemoryPressureSnapshot Snapshot);
