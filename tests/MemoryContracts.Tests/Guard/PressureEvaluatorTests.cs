using MemoryContracts.Tests.Infrastructure;

namespace MemoryContracts.Tests.Guard;

public class PressureEvaluatorTests
{
    private const long MB = 1024 * 1024;
    private const long Frequency = TimeSpan.TicksPerSecond;
    private static readonly long HalfSecond = Frequency / 2;

    private static MemorySample Sample(long heapMb, long capacityMb = 4096, long allocatedMb = 0, double pauseMs = 0) => new()
    {
        HeapBytes = heapMb * MB,
        CapacityBytes = capacityMb * MB,
        TotalAllocatedBytes = allocatedMb * MB,
        MaxPauseSinceLastSample = TimeSpan.FromMilliseconds(pauseMs),
    };

    private static (ContractPlan Plan, GuardState State) Setup(MemoryContract contract)
    {
        var plan = new ContractPlan(contract);
        return (plan, new GuardState(plan.Modules.Length));
    }

    [Fact]
    public void Evaluate_HeapRatio_IsHeapOverSumOfModuleBudgets()
    {
        var (plan, state) = Setup(new MemoryContract
        {
            Modules = [new ModuleContract { Name = "a", MaxHeapBytes = 300 * MB }, new ModuleContract { Name = "b", MaxHeapBytes = 100 * MB }],
        });

        state = PressureEvaluator.Evaluate(state, plan, Sample(200), HalfSecond, Frequency, [0, 0]);

        Assert.Equal(400 * MB, state.ProcessBudgetBytes);
        Assert.Equal(0.5, state.ProcessHeapRatio, 6);
    }

    [Fact]
    public void Evaluate_NoModuleBudgets_GradesAgainstCapacity()
    {
        var (plan, state) = Setup(new MemoryContract { Modules = [new ModuleContract { Name = "a" }] });

        state = PressureEvaluator.Evaluate(state, plan, Sample(900, capacityMb: 1000), HalfSecond, Frequency, [0]);

        Assert.Equal(1000 * MB, state.ProcessBudgetBytes);
        Assert.Equal(PressureLevel.High, PressureLadder.Warranted(state.ProcessHeapRatio, plan.Contract.Escalation.Heap));
    }

    [Fact]
    public void Evaluate_PercentBudget_ResolvedAgainstCapacity()
    {
        var (plan, state) = Setup(new MemoryContract { Modules = [new ModuleContract { Name = "a", MaxHeapPercent = 50 }] });

        state = PressureEvaluator.Evaluate(state, plan, Sample(250, capacityMb: 1000), HalfSecond, Frequency, [0]);

        Assert.Equal(500 * MB, state.ProcessBudgetBytes);
        Assert.Equal(0.5, state.ProcessHeapRatio, 6);
    }

    [Fact]
    public void Evaluate_AllocationRate_FromAllocatedDeltaOverTime()
    {
        var (plan, state) = Setup(new MemoryContract
        {
            Modules = [new ModuleContract { Name = "a", MaxHeapBytes = 1000 * MB, AllocRateBytesPerSecond = 10 * MB }],
        });

        state = PressureEvaluator.Evaluate(state, plan, Sample(10, allocatedMb: 100), 0, Frequency, [0]);
        state = PressureEvaluator.Evaluate(state, plan, Sample(10, allocatedMb: 110), HalfSecond, Frequency, [0]);

        Assert.Equal(20.0 * MB, state.AllocRateBytesPerSecond, 3);
        Assert.Equal(2.0, state.ProcessAllocRatio, 6);
        Assert.Equal(2.0, state.ModuleAllocRatios[0], 6);
        Assert.Equal(PressureLevel.Elevated, state.ProcessLadder.Level);
    }

    [Fact]
    public void Evaluate_ModuleAllocRatio_IsTheProcessRateOverThatModulesOwnBudget()
    {
        var (plan, state) = Setup(new MemoryContract
        {
            Modules =
            [
                new ModuleContract { Name = "a", AllocRateBytesPerSecond = 10 * MB },
                new ModuleContract { Name = "b", AllocRateBytesPerSecond = 30 * MB },
                new ModuleContract { Name = "c" },
            ],
        });

        state = PressureEvaluator.Evaluate(state, plan, Sample(10, allocatedMb: 0), 0, Frequency, [0, 0, 0]);
        state = PressureEvaluator.Evaluate(state, plan, Sample(10, allocatedMb: 10), HalfSecond, Frequency, [0, 0, 0]);

        // The process allocates 20 MB/s against 40 MB/s of budgets; each module's ratio is that whole
        // rate over its own budget, not a share of it; a module without a budget reports 0.
        Assert.Equal(0.5, state.ProcessAllocRatio, 6);
        Assert.Equal(2.0, state.ModuleAllocRatios[0], 6);
        Assert.Equal(20.0 / 30, state.ModuleAllocRatios[1], 6);
        Assert.Equal(0, state.ModuleAllocRatios[2]);
        Assert.All(state.ModuleLadders, l => Assert.Equal(PressureLevel.Normal, l.Level));   // a module's level is its owned heap alone
    }

    [Fact]
    public void Evaluate_AllocationBudgets_AddUpAcrossModules()
    {
        var plan = new ContractPlan(new MemoryContract
        {
            Modules =
            [
                new ModuleContract { Name = "a", AllocRateBytesPerSecond = 10 * MB },
                new ModuleContract { Name = "b", AllocRateBytesPerSecond = 5 * MB },
                new ModuleContract { Name = "c" },
            ],
        });

        Assert.Equal(15.0 * MB, plan.ProcessAllocBudget);
    }

    [Fact]
    public void Evaluate_PauseOverStrictestBudget_Breaches()
    {
        var (plan, state) = Setup(new MemoryContract
        {
            Modules =
            [
                new ModuleContract { Name = "a", MaxGcPause = TimeSpan.FromMilliseconds(5) },
                new ModuleContract { Name = "b", MaxGcPause = TimeSpan.FromMilliseconds(50) },
            ],
        });

        state = PressureEvaluator.Evaluate(state, plan, Sample(10, pauseMs: 10), HalfSecond, Frequency, [0, 0]);

        Assert.Equal(2.0, state.ProcessPauseRatio, 6);
        Assert.Equal(PressureLevel.Elevated, state.ProcessLadder.Level);
        Assert.Equal(0.2, state.ModulePauseRatios[1], 6);
    }

    [Fact]
    public void Evaluate_NoAllocOrPauseBudget_NotGraded()
    {
        var (plan, state) = Setup(new MemoryContract { Modules = [new ModuleContract { Name = "a", MaxHeapBytes = 1000 * MB }] });

        state = PressureEvaluator.Evaluate(state, plan, Sample(10, allocatedMb: 0, pauseMs: 500), 0, Frequency, [0]);
        state = PressureEvaluator.Evaluate(state, plan, Sample(10, allocatedMb: 5000, pauseMs: 500), HalfSecond, Frequency, [0]);

        Assert.Equal(0, state.ProcessAllocRatio);
        Assert.Equal(0, state.ProcessPauseRatio);
        Assert.Equal(PressureLevel.Normal, state.Overall);
    }

    [Fact]
    public void Evaluate_ModuleOwnedBytesOverItsBudget_RaisesModuleAndOverallOnly()
    {
        var (plan, state) = Setup(new MemoryContract
        {
            Modules = [new ModuleContract { Name = "catalog", MaxHeapBytes = 100 * MB }, new ModuleContract { Name = "checkout", MaxHeapBytes = 900 * MB }],
        });

        state = PressureEvaluator.Evaluate(state, plan, Sample(200), HalfSecond, Frequency, [85 * MB, 0]);

        Assert.Equal(PressureLevel.Normal, state.ProcessLadder.Level);
        Assert.Equal(PressureLevel.Elevated, state.ModuleLadders[0].Level);
        Assert.Equal(PressureLevel.Normal, state.ModuleLadders[1].Level);
        Assert.Equal(0.85, state.ModuleHeapRatios[0], 6);
        Assert.Equal(PressureLevel.Elevated, state.Overall);
    }

    [Fact]
    public void Evaluate_SteepRamp_PredictsCriticalBeforeThreshold()
    {
        // 1000 MB budget; +100 MB per half second: 500, 600, 700 → projected 700 + 200 MB/s × 1.5 s = 1000 MB ≥ 950.
        var (plan, state) = Setup(TestContracts.SingleModule(1000, responses: TestContracts.NoResponses));
        var heaps = new long[] { 500, 600, 700 };
        for (var i = 0; i < heaps.Length; i++)
        {
            state = PressureEvaluator.Evaluate(state, plan, Sample(heaps[i]), (i + 1) * HalfSecond, Frequency, [0]);
        }

        Assert.True(state.PredictedCritical);
        Assert.Equal(PressureLevel.Critical, state.ProcessLadder.Level);
        Assert.True(state.ProcessHeapRatio < 0.80, "escalated while the heap itself was still under every threshold");
    }

    [Fact]
    public void Evaluate_RampTowardsCapacity_PredictsCriticalEvenWithLargeBudget()
    {
        // Budget 10 GB but only 1 GB available: the capacity is the wall.
        var (plan, state) = Setup(TestContracts.SingleModule(10_240));
        var heaps = new long[] { 600, 700, 800 };
        for (var i = 0; i < heaps.Length; i++)
        {
            state = PressureEvaluator.Evaluate(state, plan, Sample(heaps[i], capacityMb: 1024), (i + 1) * HalfSecond, Frequency, [0]);
        }

        Assert.Equal(PressureLevel.Critical, state.ProcessLadder.Level);
    }

    [Fact]
    public void Evaluate_SlowGrowth_DoesNotPredict()
    {
        var (plan, state) = Setup(TestContracts.SingleModule(1000));
        var heaps = new long[] { 500, 501, 502, 503 };
        for (var i = 0; i < heaps.Length; i++)
        {
            state = PressureEvaluator.Evaluate(state, plan, Sample(heaps[i]), (i + 1) * HalfSecond, Frequency, [0]);
        }

        Assert.False(state.PredictedCritical);
        Assert.Equal(PressureLevel.Normal, state.Overall);
    }

    [Fact]
    public void Evaluate_SameInputs_SameState()
    {
        var contract = TestContracts.SingleModule(1000);
        var (planA, a) = Setup(contract);
        var (planB, b) = Setup(contract);
        foreach (var heap in new long[] { 100, 850, 920, 960, 400, 300 })
        {
            a = PressureEvaluator.Evaluate(a, planA, Sample(heap), heap * 10, Frequency, [0]);
            b = PressureEvaluator.Evaluate(b, planB, Sample(heap), heap * 10, Frequency, [0]);
        }

        Assert.Equal(a.ProcessLadder, b.ProcessLadder);
        Assert.Equal(a.ModuleLadders, b.ModuleLadders);
    }

    [Theory]
    [InlineData(PressureLevel.Normal, 0.5, 0.0)]
    [InlineData(PressureLevel.Elevated, 0.85, 0.0)]
    [InlineData(PressureLevel.High, 0.90, 0.0)]
    [InlineData(PressureLevel.High, 0.925, 0.5)]
    [InlineData(PressureLevel.High, 0.94, 0.8)]
    [InlineData(PressureLevel.High, 0.99, 1.0)]
    [InlineData(PressureLevel.Critical, 0.5, 1.0)]
    public void ShedFraction_Scaled_RisesLinearlyBetweenHighAndCritical(PressureLevel level, double heapRatio, double expected)
    {
        var plan = new ContractPlan(TestContracts.SingleModule());
        Assert.Equal(expected, PressureEvaluator.ShedFraction(plan, level, heapRatio), 6);
    }

    [Fact]
    public void ShedFraction_NotScaled_OnlyAtCritical()
    {
        var plan = new ContractPlan(TestContracts.SingleModule(responses: new ResponsePolicy { Shed = new ShedPolicy { Scaled = false } }));
        Assert.Equal(0, PressureEvaluator.ShedFraction(plan, PressureLevel.High, 0.94));
        Assert.Equal(1, PressureEvaluator.ShedFraction(plan, PressureLevel.Critical, 0.96));
    }

    [Fact]
    public void ShedFraction_ShadowMode_AlwaysZero()
    {
        var plan = new ContractPlan(TestContracts.SingleModule(mode: MemoryContractMode.Shadow));
        Assert.Equal(0, PressureEvaluator.ShedFraction(plan, PressureLevel.Critical, 1.5));
    }

    [Fact]
    public void ShedFraction_ShedRequestsNotConfigured_Zero()
    {
        var plan = new ContractPlan(TestContracts.SingleModule(responses: TestContracts.NoResponses));
        Assert.Equal(0, PressureEvaluator.ShedFraction(plan, PressureLevel.Critical, 1.5));
    }
}
