namespace MemoryContracts;

/// <summary>
/// The ladder's transitions: pure functions of (state, warranted level, policy) → state.
/// </summary>
internal static class PressureLadder
{
    private const int StreakCap = 1_000_000;

    /// <summary>
    /// Steps the ladder by one sample. Up: straight to the highest level whose <c>consecutive</c>
    /// count of samples warranting at least that level is met. Down: one level after
    /// <paramref name="recoverySamples"/> samples in a row below the current level (hysteresis).
    /// <paramref name="predictedCritical"/> escalates to Critical at once.
    /// </summary>
    public static LadderState Step(LadderState state, PressureLevel warranted, LevelCounts consecutive, int recoverySamples, bool predictedCritical = false)
    {
        var elevated = warranted >= PressureLevel.Elevated ? Increment(state.ElevatedStreak) : 0;
        var high = warranted >= PressureLevel.High ? Increment(state.HighStreak) : 0;
        var critical = warranted >= PressureLevel.Critical ? Increment(state.CriticalStreak) : 0;

        var earned = predictedCritical ? PressureLevel.Critical
            : critical >= consecutive.Critical ? PressureLevel.Critical
            : high >= consecutive.High ? PressureLevel.High
            : elevated >= consecutive.Elevated ? PressureLevel.Elevated
            : PressureLevel.Normal;

        if (earned > state.Level)
        {
            return new LadderState(earned, elevated, high, critical, 0);
        }

        if (warranted < state.Level)
        {
            var recovery = state.RecoveryStreak + 1;
            return recovery >= recoverySamples
                ? new LadderState(state.Level - 1, elevated, high, critical, 0)
                : new LadderState(state.Level, elevated, high, critical, recovery);
        }

        return new LadderState(state.Level, elevated, high, critical, 0);
    }

    /// <summary>The highest level whose threshold <paramref name="ratio"/> reaches; Normal when none.</summary>
    public static PressureLevel Warranted(double ratio, LevelRatios thresholds) =>
        ratio >= thresholds.Critical ? PressureLevel.Critical
        : ratio >= thresholds.High ? PressureLevel.High
        : ratio >= thresholds.Elevated ? PressureLevel.Elevated
        : PressureLevel.Normal;

    private static int Increment(int streak) => streak >= StreakCap ? StreakCap : streak + 1;
}
