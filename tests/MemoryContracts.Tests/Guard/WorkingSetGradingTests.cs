using MemoryContracts.Tests.Infrastructure;

namespace MemoryContracts.Tests.Guard;

/// <summary>The container's working set graded against its limit (DESIGN §9): level, binding constraint, prediction, shedding.</summary>
public class WorkingSetGradingTests
{
    private const long MB = 1024 * 1024;
    private const long Frequency = TimeSpan.TicksPerSecond;
    private static readonly long HalfSecond = Frequency / 2;

    private static MemorySample Sample(long heapMb, long? workingSetMb, long? limitMb, long capacityMb = 4096) => new()
    {
        HeapBytes = heapMb * MB,
        CapacityBytes = capacityMb * MB,
        WorkingSetBytes = workingSetMb * MB,
        ContainerLimitBytes = limitMb * MB,
    };

    private static ContractPlan Plan(ContainerPolicy? container = null, ResponsePolicy? responses = null)
    {
        var contract = TestContracts.SingleModule(1000, responses: responses ?? TestContracts.NoResponses);
        return new ContractPlan(new MemoryContract
        {
            Modules = contract.Modules,
            Responses = contract.Responses,
            Container = container ?? new ContainerPolicy(),
        });
    }

    private static GuardState Grade(ContractPlan plan, params MemorySample[] samples)
    {
        var state = new GuardState(plan.Modules.Length);
        for (var i = 0; i < samples.Length; i++)
        {
            state = PressureEvaluator.Evaluate(state, plan, samples[i], (i + 1) * HalfSecond, Frequency, [0]);
        }

        return state;
    }

    [Fact]
    public void Evaluate_WorkingSetOverElevatedOfLimit_ProcessLevelFollowsWorkingSet()
    {
        var state = Grade(Plan(), Sample(heapMb: 100, workingSetMb: 850, limitMb: 1000));

        Assert.Equal(0.85, state.WorkingSetRatio!.Value, 6);
        Assert.Equal(0.1, state.ProcessHeapRatio, 6);
        Assert.Equal(PressureLevel.Elevated, state.ProcessLadder.Level);
        Assert.Equal(PressureLevel.Elevated, state.Overall);
    }

    [Fact]
    public void Evaluate_WorkingSetOverCriticalForConsecutiveSamples_Critical()
    {
        var sample = Sample(heapMb: 100, workingSetMb: 960, limitMb: 1000);

        var state = Grade(Plan(), sample, sample, sample);

        Assert.Equal(PressureLevel.Critical, state.Overall);
        Assert.False(state.PredictedCritical);
    }

    [Fact]
    public void Create_WorkingSetRatioAboveHeapRatio_UsageAndCapacityDescribeTheContainer()
    {
        var plan = Plan();
        var state = Grade(plan, Sample(heapMb: 100, workingSetMb: 700, limitMb: 1000));

        var snapshot = SnapshotFactory.Create(plan, state, DateTimeOffset.UnixEpoch);

        Assert.Equal(70, snapshot.UsagePercent);
        Assert.Equal(1000 * MB, snapshot.CapacityBytes);
        Assert.Equal(700 * MB, snapshot.WorkingSetBytes);
        Assert.Equal(1000 * MB, snapshot.ContainerLimitBytes);
        Assert.Equal(0.7, snapshot.WorkingSetRatio!.Value, 6);
        Assert.Equal(0.1, snapshot.HeapRatio, 6);
    }

    [Fact]
    public void Create_HeapRatioAboveWorkingSetRatio_UsageAndCapacityDescribeTheHeap()
    {
        var plan = Plan();
        var state = Grade(plan, Sample(heapMb: 600, workingSetMb: 2000, limitMb: 8000));

        var snapshot = SnapshotFactory.Create(plan, state, DateTimeOffset.UnixEpoch);

        Assert.Equal(60, snapshot.UsagePercent);
        Assert.Equal(1000 * MB, snapshot.CapacityBytes);
        Assert.Equal(0.25, snapshot.WorkingSetRatio!.Value, 6);
    }

    [Fact]
    public void Evaluate_NoContainerLimit_GradedAsBefore()
    {
        var plan = Plan();
        var state = Grade(plan, Sample(heapMb: 500, workingSetMb: 3000, limitMb: null));

        var snapshot = SnapshotFactory.Create(plan, state, DateTimeOffset.UnixEpoch);

        Assert.Null(state.WorkingSetRatio);
        Assert.Null(state.ContainerLimitBytes);
        Assert.Equal(3000 * MB, state.WorkingSetBytes);
        Assert.Equal(PressureLevel.Normal, state.Overall);
        Assert.Equal(50, snapshot.UsagePercent);
        Assert.Equal(1000 * MB, snapshot.CapacityBytes);
        Assert.Null(snapshot.WorkingSetRatio);
    }

    [Fact]
    public void Evaluate_LimitMbSet_GradesAgainstItInsteadOfTheCgroupLimit()
    {
        var plan = Plan(new ContainerPolicy { LimitBytes = 500 * MB });

        var state = Grade(plan, Sample(heapMb: 100, workingSetMb: 450, limitMb: 4000));

        Assert.Equal(500 * MB, state.ContainerLimitBytes);
        Assert.Equal(0.9, state.WorkingSetRatio!.Value, 6);
        Assert.Equal(PressureLevel.Elevated, state.Overall);
    }

    [Fact]
    public void Evaluate_LimitMbSetWithoutCgroup_GradesAgainstIt()
    {
        var state = Grade(Plan(new ContainerPolicy { Enabled = ContainerMode.Enabled, LimitBytes = 500 * MB }), Sample(heapMb: 100, workingSetMb: 450, limitMb: null));

        Assert.Equal(0.9, state.WorkingSetRatio!.Value, 6);
    }

    [Fact]
    public void Evaluate_EnabledFalse_WorkingSetIgnored()
    {
        var sample = Sample(heapMb: 100, workingSetMb: 990, limitMb: 1000);
        var plan = Plan(new ContainerPolicy { Enabled = ContainerMode.Disabled });

        var state = Grade(plan, sample, sample, sample);

        Assert.Null(state.WorkingSetRatio);
        Assert.Equal(990 * MB, state.WorkingSetBytes);
        Assert.Equal(PressureLevel.Normal, state.Overall);
        Assert.Equal(10, SnapshotFactory.Create(plan, state, DateTimeOffset.UnixEpoch).UsagePercent);
    }

    [Fact]
    public void Evaluate_SteepWorkingSetRamp_PredictsCriticalBeforeThreshold()
    {
        // Limit 1000 MB; +100 MB per half second: 500, 600, 700 → projected 700 + 200 MB/s × 1.5 s = 1000 MB ≥ 950.
        var state = Grade(Plan(), Sample(10, 500, 1000), Sample(10, 600, 1000), Sample(10, 700, 1000));

        Assert.True(state.PredictedCritical);
        Assert.Equal(PressureLevel.Critical, state.ProcessLadder.Level);
        Assert.True(state.WorkingSetRatio < 0.80, "escalated while the working set itself was still under every threshold");
    }

    [Fact]
    public void Evaluate_SlowWorkingSetGrowth_DoesNotPredict()
    {
        var state = Grade(Plan(), Sample(10, 500, 1000), Sample(10, 501, 1000), Sample(10, 502, 1000), Sample(10, 503, 1000));

        Assert.False(state.PredictedCritical);
        Assert.Equal(PressureLevel.Normal, state.Overall);
    }

    [Fact]
    public void Evaluate_ReusedBuffer_ContainerFiguresOverwritten()
    {
        var plan = Plan();
        var first = PressureEvaluator.Evaluate(new GuardState(1), plan, Sample(10, 900, 1000), HalfSecond, Frequency, [0]);
        var buffer = new GuardState(1);
        buffer = PressureEvaluator.Evaluate(first, plan, Sample(10, 900, 1000), 2 * HalfSecond, Frequency, [0], buffer);

        var next = PressureEvaluator.Evaluate(buffer, plan, Sample(10, null, null), 3 * HalfSecond, Frequency, [0], first);

        Assert.Null(next.WorkingSetBytes);
        Assert.Null(next.ContainerLimitBytes);
        Assert.Null(next.WorkingSetRatio);
        Assert.Equal(default, next.WorkingSetTrend);
    }

    [Fact]
    public void WouldShedFraction_WorkingSetBetweenHighAndCritical_ShedsItsPosition()
    {
        var plan = Plan(responses: new ResponsePolicy { High = [], Critical = ["shed_requests"] });

        Assert.Equal(0.5, PressureEvaluator.WouldShedFraction(plan, PressureLevel.High, processHeapRatio: 0.1, workingSetRatio: 0.925), 6);
        Assert.Equal(0.5, PressureEvaluator.WouldShedFraction(plan, PressureLevel.High, processHeapRatio: 0.925, workingSetRatio: 0.1), 6);
        Assert.Equal(0, PressureEvaluator.WouldShedFraction(plan, PressureLevel.High, processHeapRatio: 0.1, workingSetRatio: 0.85), 6);
    }

    [Fact]
    public void Differs_WorkingSetPercentMoved_True()
    {
        var plan = Plan();
        var published = SnapshotFactory.Create(plan, Grade(plan, Sample(600, 100, 1000)), DateTimeOffset.UnixEpoch);

        Assert.False(SnapshotFactory.Differs(published, plan, Grade(plan, Sample(600, 100, 1000))));
        Assert.True(SnapshotFactory.Differs(published, plan, Grade(plan, Sample(600, 200, 1000))));
        Assert.True(SnapshotFactory.Differs(published, plan, Grade(plan, Sample(600, 100, null))));
    }

    [Fact]
    public void Carry_PlanDisablesContainer_WorkingSetNoLongerGraded()
    {
        var plan = Plan();
        var state = Grade(plan, Sample(100, 850, 1000));

        var carried = GuardState.Carry(state, plan, Plan(new ContainerPolicy { Enabled = ContainerMode.Disabled }));
        var reRated = GuardState.Carry(state, plan, Plan(new ContainerPolicy { LimitBytes = 2000 * MB }));

        Assert.Null(carried.WorkingSetRatio);
        Assert.Equal(850 * MB, carried.WorkingSetBytes);
        Assert.Equal(0.425, reRated.WorkingSetRatio!.Value, 6);
        Assert.Equal(2000 * MB, reRated.ContainerLimitBytes);
        Assert.Equal(state.WorkingSetTrend, carried.WorkingSetTrend);
    }
}
