namespace MemoryContracts;

/// <summary>The contract's heap-ratio thresholds (<c>escalation.heap</c>) in the dashboard's history JSON, for the level bands.</summary>
internal sealed class HistoryThresholds
{
    public double Elevated { get; init; }

    public double High { get; init; }

    public double Critical { get; init; }

    public static HistoryThresholds From(LevelRatios ratios) => new()
    {
        Elevated = ratios.Elevated,
        High = ratios.High,
        Critical = ratios.Critical,
    };
}
