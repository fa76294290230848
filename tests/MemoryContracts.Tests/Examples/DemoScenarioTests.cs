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
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(50));

        var result = await DemoScenario.RunAsync(DemoSettings.Fast, frames.Enqueue, timeout.Token);

        var timeline = string.Join(Environment.NewLine, frames.Select(DemoConsole.Format));
        Assert.True(result.Passed, string.Join("; ", result.Failures) + Environment.NewLine + timeline);

        // Up through every level, in order, then down to Normal.
        var first = result.FirstReached;
        Assert.True(first[PressureLevel.Elevated] < first[PressureLevel.High], timeline);
        Assert.True(first[PressureLevel.High] <= first[PressureLevel.Critical], timeline);
        Assert.Equal(PressureLevel.Normal, result.Changes[^1].To);
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(30), $"the fast demo took {result.Elapsed.TotalSeconds:F1} s");

        // Checkout is core: served throughout, never shed. Non-core requests were shed.
        var checkout = result.Requests.Single(r => r.Module == "checkout");
        Assert.Equal(0, checkout.Shed);
        Assert.Equal(0, checkout.Failed);
        Assert.True(result.Requests.Where(r => r.Module != "checkout").Sum(r => r.Shed) > 0, "non-core requests were shed\n" + timeline);

        // The guard acted, and the inventory service heard the shop's pressure.
        var actions = result.Actions.Select(a => a.Name).ToHashSet();
        Assert.Contains("trim_caches", actions);
        Assert.Contains("shed_requests", actions);
        Assert.True(result.Inventory.Bypassed > 0, "the inventory skipped cache writes while ShopApi reported pressure\n" + timeline);

        // The timeline showed it live.
        Assert.Contains(frames, f => f.Level == PressureLevel.Critical || f.Changes.Any(c => c.To == PressureLevel.Critical));
        Assert.Contains(frames, f => f.LeakedMb > 0);
    }
}
