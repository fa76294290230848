namespace MemoryContracts;

/// <summary>
/// One ratio per pressure level above <see cref="PressureLevel.Normal"/>: thresholds in <c>escalation</c>
/// (<c>heap</c>, <c>alloc_rate</c>, <c>gc_pause</c>) and fractions in <c>responses.trim_fraction</c>.
/// </summary>
public sealed class LevelRatios
{
    /// <summary>Initializes a new instance with the given ratios.</summary>
    /// <param name="elevated">The ratio for <see cref="PressureLevel.Elevated"/>.</param>
    /// <param name="high">The ratio for <see cref="PressureLevel.High"/>.</param>
    /// <param name="critical">The ratio for <see cref="PressureLevel.Critical"/>.</param>
    public LevelRatios(double elevated, double high, double critical)
    {
        Elevated = elevated;
        High = high;
        Critical = critical;
    }

    /// <summary>Gets the ratio for <see cref="PressureLevel.Elevated"/>.</summary>
    public double Elevated { get; }

    /// <summary>Gets the ratio for <see cref="PressureLevel.High"/>.</summary>
    public double High { get; }

    /// <summary>Gets the ratio for <see cref="PressureLevel.Critical"/>.</summary>
    public double Critical { get; }

    /// <summary>Gets the ratio for <paramref name="level"/>; 0 for <see cref="PressureLevel.Normal"/>.</summary>
    /// <param name="level">The pressure level.</param>
    /// <returns>The ratio configured for that level.</returns>
    public double For(PressureLevel level) => level switch
    {
        PressureLevel.Elevated => Elevated,
        PressureLevel.High => High,
        PressureLevel.Critical => Critical,
        _ => 0,
    };
}
