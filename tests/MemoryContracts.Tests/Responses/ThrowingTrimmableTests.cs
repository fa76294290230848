using System.Text.Json;
using MemoryContracts.Tests.Infrastructure;

namespace MemoryContracts.Tests.Responses;

/// <summary>
/// Issue 10, defect 12: one trimmable whose <see cref="IMemoryTrimmable.EstimatedBytes"/> (or
/// <see cref="IMemoryTrimmable.Trim"/>) throws is counted as 0 and logged once (event 212); the
/// guard keeps grading, the other trimmables are still counted and trimmed.
/// </summary>
public class ThrowingTrimmableTests
{
    private const long MB = 1024 * 1024;
    private const int EstimateFailed = 212;
    private const int TickFailed = 102;

    [Fact]
    public async Task TickAsync_OneEstimateThrows_GuardStillGradesAndEscalates()
    {
        var broken = new BrokenTrimmable();
        var good = new FixedTrimmable(300 * MB);
        await using var f = GuardFixture.Create(
            TestContracts.SingleModule(100, responses: TestContracts.NoResponses),
            s => s.AddMemoryTrimmable("app", broken).AddMemoryTrimmable("app", good));

        await f.TicksAsync(10, 5);

        Assert.Equal(PressureLevel.Critical, f.Current.FindModule("app")!.Level);
        Assert.Equal(3, f.Current.FindModule("app")!.HeapRatio, 2);
        Assert.Equal(PressureLevel.Critical, f.Current.Level);
        Assert.Empty(f.Logs.WithEvent(TickFailed));
        var logged = Assert.Single(f.Logs.WithEvent(EstimateFailed));
        Assert.Contains("broken", logged.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(logged.Exception);
        Assert.True(broken.EstimateCalls >= 5, "the broken trimmable is still asked each tick, in case it recovers");
    }

    [Fact]
    public async Task TickAsync_TwoBrokenTrimmables_EachLoggedOnce()
    {
        await using var f = GuardFixture.Create(
            TestContracts.SingleModule(100, responses: TestContracts.NoResponses),
            s => s.AddMemoryTrimmable("app", new BrokenTrimmable()).AddMemoryTrimmable("app", new BrokenTrimmable()));

        await f.TicksAsync(10, 4);

        Assert.Equal(2, f.Logs.WithEvent(EstimateFailed).Count);
        Assert.Equal(PressureLevel.Normal, f.Current.Level);
        Assert.Empty(f.Logs.WithEvent(TickFailed));
    }

    [Fact]
    public async Task OnLevelChangedAsync_EstimateAndTrimThrow_OthersStillTrimmed()
    {
        var good = new FixedTrimmable(10 * MB);
        await using var f = GuardFixture.Create(
            TestContracts.SingleModule(1000, responses: new ResponsePolicy { Elevated = ["trim_caches"] }),
            s => s.AddMemoryTrimmable("app", new BrokenTrimmable()).AddMemoryTrimmable("app", good));

        await f.TickAsync(850);

        Assert.Equal(PressureLevel.Elevated, f.Current.Level);
        Assert.Equal(1, good.Trims);
        Assert.Single(f.Logs.WithEvent(211));
    }

    [Fact]
    public async Task Snapshot_EstimateThrows_StillWrittenWithZeroForIt()
    {
        var directory = Directory.CreateTempSubdirectory("mc-snapshot-").FullName;
        try
        {
            var contract = TestContracts.SingleModule(1000, responses: new ResponsePolicy
            {
                Elevated = ["snapshot"],
                High = [],
                Critical = [],
                Snapshot = new SnapshotPolicy { Directory = directory },
            });
            await using var f = GuardFixture.Create(contract, s => s.AddMemoryTrimmable("app", new BrokenTrimmable()).AddMemoryTrimmable("app", new FixedTrimmable(MB)));

            await f.TickAsync(850);

            var file = Assert.Single(Directory.GetFiles(directory, "memory-snapshot-*.json"));
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(file));
            var largest = json.RootElement.GetProperty("largestTrimmables");
            Assert.Equal("fixed", largest[0].GetProperty("name").GetString());
            Assert.Equal("broken", largest[1].GetProperty("name").GetString());
            Assert.Equal(0, largest[1].GetProperty("estimatedBytes").GetInt64());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private sealed class BrokenTrimmable : IMemoryTrimmable
    {
        public int EstimateCalls { get; private set; }

        public string Name => "broken";

        public long EstimatedBytes
        {
            get
            {
                EstimateCalls++;
                throw new InvalidOperationException("cannot estimate");
            }
        }

        public long Trim(double fraction) => throw new InvalidOperationException("cannot trim");
    }

    private sealed class FixedTrimmable(long bytes) : IMemoryTrimmable
    {
        public int Trims { get; private set; }

        public string Name => "fixed";

        public long EstimatedBytes => bytes;

        public long Trim(double fraction)
        {
            Trims++;
            return 0;
        }
    }
}
