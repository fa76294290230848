using CsCheck;

namespace MemoryContracts.Tests.Guard;

/// <summary>
/// Properties of the grading function over generated sample sequences (CsCheck shrinks a failure to
/// its smallest sequence): levels step down one at a time and no faster than the recovery window,
/// a ratio held at a threshold never leaves that level, and equal inputs give equal outputs.
/// </summary>
public sealed class GradingPropertyTests
{
    private const long MB = 1024 * 1024;
    private const long Frequency = TimeSpan.TicksPerSecond;
    private const int Iterations = 2_000;

    /// <summary>A scenario: escalation counts, the recovery window, and the heap (percent of budget) per sample.</summary>
    private static readonly Gen<Scenario> Scenarios =
        Gen.Select(Gen.Int[1, 3], Gen.Int[1, 3], Gen.Int[1, 3], Gen.Int[1, 6], Gen.Int[0, 120].Array[1, 80], Gen.Int[0, 130].Array[80])
            .Select((e, h, c, recovery, heap, owned) => new Scenario(
                new LevelCounts(e, Math.Max(e, h), Math.Max(Math.Max(e, h), c)), recovery, heap, owned));

    [Fact]
    public void Grade_AnySequence_EachLadderStepsDownOneLevelAtMostOncePerRecoveryWindow()
    {
        Scenarios.Sample(scenario =>
        {
            var steps = Run(scenario);
            for (var subject = 0; subject < steps[0].Levels.Length; subject++)
            {
                var lastDrop = int.MinValue / 2;
                for (var i = 1; i < steps.Count; i++)
                {
                    var before = steps[i - 1].Levels[subject];
                    var after = steps[i].Levels[subject];
                    Assert.True(after >= before - 1, $"subject {subject} fell {before} → {after} at sample {i}");
                    if (after < before)
                    {
                        Assert.True(i - lastDrop >= scenario.Recovery, $"subject {subject} stepped down at {lastDrop} and again at {i} (recovery {scenario.Recovery})");
                        lastDrop = i;
                    }
                }
            }
        }, iter: Iterations);
    }

    [Fact]
    public void Grade_AnySequence_OverallStepsDownOneLevelAtMostOncePerRecoveryWindow()
    {
        Scenarios.Sample(scenario =>
        {
            var steps = Run(scenario);
            var lastDrop = int.MinValue / 2;
            for (var i = 1; i < steps.Count; i++)
            {
                Assert.True(steps[i].Overall >= steps[i - 1].Overall - 1);
                if (steps[i].Overall < steps[i - 1].Overall)
                {
                    Assert.True(i - lastDrop >= scenario.Recovery);
                    lastDrop = i;
                }
            }
        }, iter: Iterations);
    }

    [Fact]
    public void Grade_RatioHeldAtThreshold_NeverLeavesThatLevel()
    {
        var gen = Gen.Select(Scenarios, Gen.Int[1, 3], Gen.Int[0, 30].Array[5, 40]);
        gen.Sample((scenario, target, extra) =>
        {
            var level = (PressureLevel)target;
            var threshold = ThresholdPercent(level);

            // The prefix is anything; then the heap stays at or above the target level's threshold.
            var held = scenario with { HeapPercents = [.. scenario.HeapPercents, .. extra.Select(x => threshold + x)] };
            var steps = Run(held);
            var reached = false;
            for (var i = scenario.HeapPercents.Length; i < steps.Count; i++)
            {
                var process = steps[i].Levels[0];
                if (reached)
                {
                    Assert.True(process >= level, $"process left {level} at sample {i} with the heap at {held.HeapPercents[i]}%");
                }

                reached |= process >= level;
            }
        }, iter: Iterations);
    }

    [Fact]
    public void Grade_HeldAboveThresholdLongEnough_ReachesThatLevel()
    {
        Scenarios.Sample(scenario =>
        {
            var held = scenario with { HeapPercents = [.. scenario.HeapPercents, .. Enumerable.Repeat(97, scenario.Consecutive.Critical)] };
            var steps = Run(held);
            Assert.Equal(PressureLevel.Critical, steps[^1].Levels[0]);
        }, iter: Iterations);
    }

    [Fact]
    public void Grade_SameInputs_SameOutputs()
    {
        Scenarios.Sample(scenario =>
        {
            var first = Run(scenario);
            var second = Run(scenario);
            Assert.Equal(first.Count, second.Count);
            for (var i = 0; i < first.Count; i++)
            {
                Assert.Equal(first[i].Overall, second[i].Overall);
                Assert.Equal(first[i].Levels, second[i].Levels);
                Assert.Equal(first[i].HeapRatio, second[i].HeapRatio);
            }
        }, iter: 500);
    }

    private static int ThresholdPercent(PressureLevel level) => level switch
    {
        PressureLevel.Elevated => 80,
        PressureLevel.High => 90,
        _ => 95,
    };

    /// <summary>Grades the scenario's samples in order; returns, per sample, the overall level and each ladder (process first, then modules).</summary>
    private static List<Step> Run(Scenario scenario)
    {
        var contract = new MemoryContract
        {
            Modules =
            [
                new ModuleContract { Name = "core", MaxHeapBytes = 600 * MB, Core = true },
                new ModuleContract { Name = "web", MaxHeapBytes = 400 * MB },
            ],
            Escalation = new EscalationPolicy { Consecutive = scenario.Consecutive, RecoverySamples = scenario.Recovery },
            Responses = new ResponsePolicy { Elevated = [], High = [], Critical = [] },
        };
        var plan = new ContractPlan(contract);
        var state = new GuardState(plan.Modules.Length);
        var steps = new List<Step>(scenario.HeapPercents.Length);
        for (var i = 0; i < scenario.HeapPercents.Length; i++)
        {
            // Flat readings every other sample keep the predictive step out of the way of the ladder properties.
            var heap = scenario.HeapPercents[i] * 10 * MB;
            var sample = new MemorySample { HeapBytes = heap, CommittedBytes = heap, CapacityBytes = 64L * 1024 * MB };
            var owned = scenario.OwnedPercents[i % scenario.OwnedPercents.Length];
            state = PressureEvaluator.Evaluate(state, plan, sample, (i + 1) * Frequency / 2, Frequency, [owned * 6 * MB, owned * 4 * MB]);
            steps.Add(new Step(state.Overall, [state.ProcessLadder.Level, .. state.ModuleLadders.Select(l => l.Level)], state.ProcessHeapRatio, state.PredictedCritical));
        }

        return steps;
    }

    private sealed record Scenario(LevelCounts Consecutive, int Recovery, int[] HeapPercents, int[] OwnedPercents)
    {
        public override string ToString() =>
            $"consecutive {Consecutive.Elevated}/{Consecutive.High}/{Consecutive.Critical}, recovery {Recovery}, heap% [{string.Join(", ", HeapPercents)}], owned% [{string.Join(", ", OwnedPercents)}]";
    }

    private sealed record Step(PressureLevel Overall, PressureLevel[] Levels, double HeapRatio, bool Predicted);
}
