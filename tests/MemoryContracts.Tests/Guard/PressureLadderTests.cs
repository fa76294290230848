namespace MemoryContracts.Tests.Guard;

public class PressureLadderTests
{
    private static readonly LevelCounts DefaultCounts = new(1, 2, 3);
    private static readonly LevelRatios Heap = new(0.80, 0.90, 0.95);

    private static LadderState Run(LadderState state, LevelCounts counts, int recovery, params PressureLevel[] warranted)
    {
        foreach (var level in warranted)
        {
            state = PressureLadder.Step(state, level, counts, recovery);
        }

        return state;
    }

    [Theory]
    [InlineData(0.0, PressureLevel.Normal)]
    [InlineData(0.7999, PressureLevel.Normal)]
    [InlineData(0.80, PressureLevel.Elevated)]
    [InlineData(0.8999, PressureLevel.Elevated)]
    [InlineData(0.90, PressureLevel.High)]
    [InlineData(0.9499, PressureLevel.High)]
    [InlineData(0.95, PressureLevel.Critical)]
    [InlineData(3.0, PressureLevel.Critical)]
    public void Warranted_RatioAtOrAboveThreshold_ReturnsThatLevel(double ratio, PressureLevel expected) =>
        Assert.Equal(expected, PressureLadder.Warranted(ratio, Heap));

    [Fact]
    public void Step_OneElevatedSample_StepsUpToElevated()
    {
        var state = Run(default, DefaultCounts, 5, PressureLevel.Elevated);
        Assert.Equal(PressureLevel.Elevated, state.Level);
    }

    [Fact]
    public void Step_HighNeedsTwoInARow_FirstSampleOnlyElevated()
    {
        var state = Run(default, DefaultCounts, 5, PressureLevel.High);
        Assert.Equal(PressureLevel.Elevated, state.Level);
        state = Run(state, DefaultCounts, 5, PressureLevel.High);
        Assert.Equal(PressureLevel.High, state.Level);
    }

    [Fact]
    public void Step_HighStreakBroken_CountRestarts()
    {
        var state = Run(default, DefaultCounts, 5, PressureLevel.High, PressureLevel.Elevated, PressureLevel.High);
        Assert.Equal(PressureLevel.Elevated, state.Level);
        Assert.Equal(1, state.HighStreak);
    }

    [Fact]
    public void Step_CriticalRatioWithDefaultCounts_ReachesCriticalOnThirdSample()
    {
        var levels = new List<PressureLevel>();
        LadderState state = default;
        for (var i = 0; i < 3; i++)
        {
            state = PressureLadder.Step(state, PressureLevel.Critical, DefaultCounts, 5);
            levels.Add(state.Level);
        }

        Assert.Equal([PressureLevel.Elevated, PressureLevel.High, PressureLevel.Critical], levels);
    }

    [Fact]
    public void Step_EqualCounts_JumpsStraightFromNormalToCritical()
    {
        var counts = new LevelCounts(2, 2, 2);
        var state = Run(default, counts, 5, PressureLevel.Critical);
        Assert.Equal(PressureLevel.Normal, state.Level);
        state = Run(state, counts, 5, PressureLevel.Critical);
        Assert.Equal(PressureLevel.Critical, state.Level);
    }

    [Fact]
    public void Step_FromElevatedWithCriticalRatio_SkipsHighWhenCountsAllow()
    {
        var counts = new LevelCounts(1, 1, 1);
        var state = Run(new LadderState(PressureLevel.Elevated, 0, 0, 0, 0), counts, 5, PressureLevel.Critical);
        Assert.Equal(PressureLevel.Critical, state.Level);
    }

    [Fact]
    public void Step_RecoverySamplesBelow_StepsDownExactlyOneLevel()
    {
        var state = new LadderState(PressureLevel.Critical, 10, 10, 10, 0);
        state = Run(state, DefaultCounts, 5, PressureLevel.Normal, PressureLevel.Normal, PressureLevel.Normal, PressureLevel.Normal);
        Assert.Equal(PressureLevel.Critical, state.Level);
        state = Run(state, DefaultCounts, 5, PressureLevel.Normal);
        Assert.Equal(PressureLevel.High, state.Level);
        state = Run(state, DefaultCounts, 5, Enumerable.Repeat(PressureLevel.Normal, 5).ToArray());
        Assert.Equal(PressureLevel.Elevated, state.Level);
        state = Run(state, DefaultCounts, 5, Enumerable.Repeat(PressureLevel.Normal, 5).ToArray());
        Assert.Equal(PressureLevel.Normal, state.Level);
    }

    [Fact]
    public void Step_RecoveryInterruptedBySampleAtLevel_RecoveryRestarts()
    {
        var state = new LadderState(PressureLevel.High, 0, 0, 0, 0);
        state = Run(state, DefaultCounts, 5, PressureLevel.Normal, PressureLevel.Normal, PressureLevel.Normal, PressureLevel.Normal, PressureLevel.High);
        Assert.Equal(PressureLevel.High, state.Level);
        Assert.Equal(0, state.RecoveryStreak);
        state = Run(state, DefaultCounts, 5, Enumerable.Repeat(PressureLevel.Normal, 4).ToArray());
        Assert.Equal(PressureLevel.High, state.Level);
    }

    [Fact]
    public void Step_NoisySignalHoveringAtThreshold_DoesNotFlap()
    {
        // Alternates just above and just below the elevated threshold for 100 samples.
        LadderState state = default;
        var transitions = 0;
        var previous = state.Level;
        for (var i = 0; i < 100; i++)
        {
            var ratio = i % 2 == 0 ? 0.801 : 0.799;
            state = PressureLadder.Step(state, PressureLadder.Warranted(ratio, Heap), DefaultCounts, 5);
            if (state.Level != previous)
            {
                transitions++;
                previous = state.Level;
            }
        }

        Assert.Equal(1, transitions);
        Assert.Equal(PressureLevel.Elevated, state.Level);
    }

    [Fact]
    public void Step_PredictedCritical_EscalatesAtOnce()
    {
        var state = PressureLadder.Step(default, PressureLevel.Normal, DefaultCounts, 5, predictedCritical: true);
        Assert.Equal(PressureLevel.Critical, state.Level);
    }

    [Fact]
    public void Step_WarrantedEqualsLevel_HoldsAndResetsRecovery()
    {
        var state = new LadderState(PressureLevel.High, 0, 3, 0, 3);
        state = PressureLadder.Step(state, PressureLevel.High, DefaultCounts, 5);
        Assert.Equal(PressureLevel.High, state.Level);
        Assert.Equal(0, state.RecoveryStreak);
    }

    [Fact]
    public void Step_RecoveryOfOne_StepsDownOnFirstSampleBelow()
    {
        var state = PressureLadder.Step(new LadderState(PressureLevel.Elevated, 0, 0, 0, 0), PressureLevel.Normal, DefaultCounts, 1);
        Assert.Equal(PressureLevel.Normal, state.Level);
    }
}
