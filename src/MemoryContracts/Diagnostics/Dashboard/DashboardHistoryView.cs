namespace MemoryContracts;

/// <summary>What <see cref="DashboardHistory.Read"/> returns: copies, oldest first, safe to use outside the recorder's lock.</summary>
/// <param name="Now">The recorder's time of the read.</param>
/// <param name="Points">The points of the window; the first may be the one in force at its start, stamped with the start.</param>
/// <param name="LevelChanges">The level changes of the window.</param>
internal sealed record DashboardHistoryView(DateTimeOffset Now, DashboardPoint[] Points, DashboardLevelChange[] LevelChanges);
