using System.Collections.Concurrent;
using ShopApi.Demo;

namespace MemoryContracts.Tests.Examples;

/// <summary>
/// The demo of <c>dotnet run --project examples/ShopApi -- --demo</c>, in its fast settings: real
/// Kestrel on 127.0.0.1, real HTTP, a real leak, the real guard. CI fails if the demo no longer goes
/// through every level and back.
/// </summary>
[Collection(RunsAlone.Name)]
public class DemoScenarioTests
{
    [Fact]
    public async Task RunAsync_FastSettings_GoesThroughEveryLevelAndBackToNormal()
    {
        var frames = new ConcurrentQueue<DemoFrame>();
        DemoStart? started = null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));

        var result = await DemoScenario.RunAsync(DemoSettings.Fast, frames.Enqueue, s => started = s, timeout.Token);
        if (result.SnapshotDirectory is { } snapshots)
        {
            Directory.Delete(snapshots, recursive: true);
        }

        var timeline = string.Join(Environment.NewLine, frames.Select(DemoConsole.Format));
        Assert.True(result.Passed, string.Join("; ", result.Failures) + Environment.NewLine + timeline);

        // Up through every level, in order, then down to Normal.
        var first = result.FirstReached;
        Assert.True(first[PressureLevel.Elevated] < first[PressureLevel.High], timeline);
        Assert.True(first[PressureLevel.High] <= first[PressureLevel.Critical], timeline);
        Assert.Equal(PressureLevel.Normal, result.Changes[^1].To);
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(60), $"the fast demo took {result.Elapsed.TotalSeconds:F1} s");
        Assert.NotNull(started);
        Assert.Equal("127.0.0.1", started.Shop.Host);

        // Each level entered came with the responses the contract names for it.
        Assert.Contains("shed_requests", result.Changes.First(c => c.To == PressureLevel.Critical).Responders!);
        Assert.Empty(result.Changes[^1].Responders!);

        // Checkout is core: served throughout, never shed. Non-core requests were shed.
        var checkout = result.Requests.Single(r => r.Module == "checkout");
        Assert.Equal(0, checkout.Shed);
        Assert.Equal(0, checkout.Failed);
        Assert.True(result.Requests.Where(r => r.Module != "checkout").Sum(r => r.Shed) > 0, "non-core requests were shed\n" + timeline);

        // The guard's effects were seen through public APIs, and the inventory service heard the shop's pressure.
        var actions = result.Actions.Select(a => a.Name).ToHashSet();
        Assert.True(actions.Contains("trim_caches"), "catalog cache trimmed\n" + timeline);
        Assert.True(actions.Contains("tighten_gc"), "GC latency mode left SustainedLowLatency\n" + timeline);
        Assert.True(actions.Contains("compact_gc"), "a full blocking collection at Critical\n" + timeline);
        Assert.True(actions.Contains("shed_requests"), "429s in the demo's traffic\n" + timeline);
        Assert.True(actions.Contains("snapshot"), "a snapshot file at High\n" + timeline);
        Assert.True(result.Actions.Where(a => a.Name == "trim_caches").Sum(a => a.Bytes) > 0, timeline);
        Assert.True(result.Inventory.Bypassed > 0, "the inventory skipped cache writes while ShopApi reported pressure\n" + timeline);

        // The timeline showed it live.
        Assert.Contains(frames, f => f.Level == PressureLevel.Critical || f.Changes.Any(c => c.To == PressureLevel.Critical));
        Assert.Contains(frames, f => f.LeakedMb > 0);
    }
}
