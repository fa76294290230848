namespace MemoryContracts;

/// <summary>A level change in the dashboard's history JSON.</summary>
internal sealed class HistoryLevelChange
{
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Gets the module whose level changed, or <see langword="null"/> for the overall level.</summary>
    public string? Module { get; init; }

    public required string From { get; init; }

    public required string To { get; init; }

    public static HistoryLevelChange Of(DashboardLevelChange change) => new()
    {
        Timestamp = change.At,
        Module = change.Module,
        From = MemoryContractsMetrics.LevelName(change.From),
        To = MemoryContractsMetrics.LevelName(change.To),
    };
}
