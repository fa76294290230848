using MemoryContracts.Tests.Infrastructure;

namespace MemoryContracts.Tests.Responses;

public class TrimCachesResponderTests
{
    private const long MB = 1024 * 1024;

    private sealed class RecordingTrimmable(string name, List<string> order, long bytes = 10 * MB) : IMemoryTrimmable
    {
        public string Name { get; } = name;

        public long EstimatedBytes { get; private set; } = bytes;

        public List<double> Fractions { get; } = [];

        public long Trim(double fraction)
        {
            order.Add(Name);
            Fractions.Add(fraction);
            var freed = (long)(EstimatedBytes * fraction);
            EstimatedBytes -= freed;
            return freed;
        }
    }

    private static MemoryContract Contract() => new()
    {
        Modules =
        [
            new ModuleContract { Name = "core", MaxHeapBytes = 1000 * MB, Core = true, Priority = 1 },
            new ModuleContract { Name = "reports", MaxHeapBytes = 1000 * MB, Priority = 90 },
            new ModuleContract { Name = "catalog", MaxHeapBytes = 1000 * MB, Priority = 10 },
            new ModuleContract { Name = "search", MaxHeapBytes = 5 * MB, Priority = 95 },
        ],
        Responses = new ResponsePolicy { Elevated = ["trim_caches"], High = ["trim_caches"], Critical = ["trim_caches"] },
    };

    [Fact]
    public async Task OnLevelChangedAsync_Elevated_OverBudgetFirstThenPriorityThenCore()
    {
        var order = new List<string>();
        await using var f = GuardFixture.Create(Contract(), s => s
            .AddMemoryTrimmable("core", new RecordingTrimmable("core-pool", order))
            .AddMemoryTrimmable("reports", new RecordingTrimmable("reports-cache", order))
            .AddMemoryTrimmable("catalog", new RecordingTrimmable("catalog-cache", order))
            .AddMemoryTrimmable("search", new RecordingTrimmable("search-index", order)));

        // The search module owns 10 MB against a 5 MB budget: over budget, so Critical for it.
        await f.TicksAsync(100, 3);

        Assert.Equal(["search-index", "catalog-cache", "reports-cache", "core-pool"], order.Take(4));
    }

    [Fact]
    public async Task OnLevelChangedAsync_EachLevel_TrimsByItsFraction()
    {
        var order = new List<string>();
        var trimmable = new RecordingTrimmable("cache", order);
        var contract = TestContracts.SingleModule(1000, responses: new ResponsePolicy
        {
            Elevated = ["trim_caches"],
            High = ["trim_caches"],
            Critical = ["trim_caches"],
            TrimFraction = new LevelRatios(0.1, 0.3, 0.6),
        });
        await using var f = GuardFixture.Create(contract, s => s.AddMemoryTrimmable("app", trimmable));
        using var trimmed = MetricCollection.Counter(f.Services, MemoryContractsMetricNames.CacheTrimmed);

        await f.TicksAsync(960, 3);

        Assert.Equal([0.1, 0.3, 0.6], trimmable.Fractions);
        Assert.Equal(10 * MB - trimmable.EstimatedBytes, trimmed.Total());
    }

    [Fact]
    public async Task OnLevelChangedAsync_TrimmableThrows_OthersStillTrimmed()
    {
        var order = new List<string>();
        var good = new RecordingTrimmable("good", order);
        await using var f = GuardFixture.Create(
            TestContracts.SingleModule(1000, responses: new ResponsePolicy { Elevated = ["trim_caches"] }),
            s => s.AddMemoryTrimmable("app", new ThrowingTrimmable()).AddMemoryTrimmable("app", good));

        await f.TickAsync(850);

        Assert.Equal(["good"], order);
        Assert.Single(f.Logs.WithEvent(211));
    }

    [Fact]
    public async Task AddMemoryTrimmable_SameInstanceTwice_TrimmedOnce()
    {
        var order = new List<string>();
        var trimmable = new RecordingTrimmable("once", order);
        await using var f = GuardFixture.Create(
            TestContracts.SingleModule(1000, responses: new ResponsePolicy { Elevated = ["trim_caches"] }),
            s => s.AddMemoryTrimmable("app", trimmable).AddMemoryTrimmable("app", trimmable));

        await f.TickAsync(850);

        Assert.Equal(["once"], order);
    }

    private sealed class ThrowingTrimmable : IMemoryTrimmable
    {
        public string Name => "broken";

        public long EstimatedBytes => 1;

        public long Trim(double fraction) => throw new InvalidOperationException("cannot trim");
    }
}
