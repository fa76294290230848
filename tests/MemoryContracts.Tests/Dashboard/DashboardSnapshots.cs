namespace MemoryContracts.Tests.Dashboard;

/// <summary>Snapshots as the guard publishes them, for the recorder's tests.</summary>
internal static class DashboardSnapshots
{
    public static MemoryPressureSnapshot Of(PressureLevel level, int usagePercent = 50, params ModulePressure[] modules) =>
        new(level, usagePercent, 1000L * 1024 * 1024, DateTimeOffset.UnixEpoch, modules)
        {
            ProcessLevel = level,
            HeapBytes = 10L * 1024 * 1024 * usagePercent,
            HeapRatio = usagePercent / 100.0,
        };
}
