namespace MemoryContracts;

/// <summary>
/// One sample count per pressure level above <see cref="PressureLevel.Normal"/>
/// (<c>escalation.consecutive</c>): how many breaching samples in a row step up to that level.
/// </summary>
public sealed class LevelCounts
{
    /// <summary>Initializes a new instance with the given counts.</summary>
    /// <param name="elevated">Samples in a row before stepping up to <see cref="PressureLevel.Elevated"/>.</param>
    /// <param name="high">Samples in a row before stepping up to <see cref="PressureLevel.High"/>.</param>
    /// <param name="critical">Samples in a row before stepping up to <see cref="PressureLevel.Critical"/>.</param>
    public LevelCounts(int elevated, int high, int critical)
    {
        Elevated = elevated;
        High = high;
        Critical = critical;
    }

    /// <summary>Gets the count for <see cref="PressureLevel.Elevated"/>. The default value is 1.</summary>
    public int Elevated { get; }

    /// <summary>Gets the count for <see cref="PressureLevel.High"/>. The default value is 2.</summary>
    public int High { get; }

    /// <summary>Gets the count for <see cref="PressureLevel.Critical"/>. The default value is 3.</summary>
    public int Critical { get; }

    /// <summary>Gets the count for <paramref name="level"/>; 0 for <see cref="PressureLevel.Normal"/>.</summary>
    /// <param name="level">The pressure level.</param>
    /// <returns>The count configured for that level.</returns>
    public int For(PressureLevel level) => level switch
    {
        PressureLevel.Elevated => Elevated,
        PressureLevel.High => High,
        PressureLevel.Critical => Critical,
        _ => 0,
    };
}
