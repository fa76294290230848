using MemoryContracts.Yarp.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Configuration;

namespace MemoryContracts.Yarp.Tests.Health;

/// <summary>
/// A real gateway relaying public clients to real guarded replicas: the replicas answer the relayed
/// requests without pressure headers (they were made for an outsider), so only the gateway's own
/// active health probes can tell it how each replica is doing.
/// </summary>
public sealed class MemoryPressureActiveHealthTests
{
    // What an edge gateway in front of public clients relays: X-Forwarded-For naming a public address.
    private static readonly IReadOnlyList<IReadOnlyDictionary<string, string>> PublicClient =
    [
        new Dictionary<string, string> { ["X-Forwarded"] = "Off" },
        new Dictionary<string, string> { ["RequestHeader"] = "X-Forwarded-For", ["Set"] = "203.0.113.9" },
    ];

    [Fact]
    public async Task ProbingCompleted_PublicTrafficAndMemoryPressureProbes_GatewayLearnsFromProbesAndSteersAway()
    {
        await using var pressured = await GuardedReplica.StartAsync(heapPercent: 85);
        await using var calm = await GuardedReplica.StartAsync(heapPercent: 10);
        await pressured.WaitForLevelAsync(PressureLevel.Elevated);
        await calm.WaitForLevelAsync(PressureLevel.Normal);
        await using var gateway = await TestGateway.StartAsync(
            [pressured.Address, calm.Address],
            activeHealth: Probes(MemoryPressurePolicyNames.MemoryPressure),
            transforms: PublicClient);

        var store = gateway.Services.GetRequiredService<DestinationUsageStore>();
        await ProbeUntilAsync(gateway, () =>
            store.Find(gateway.Destination(0)) is { UsagePercent: >= 80 } && store.Find(gateway.Destination(1)) is { HasReport: true });

        var statuses = await gateway.GetManyAsync(100, "/work");

        Assert.All(statuses, s => Assert.Equal(200, s));
        Assert.True(pressured.Hits <= 10, $"the pressured replica got {pressured.Hits} of 100 requests");
        Assert.Equal(100, pressured.Hits + calm.Hits);
    }

    [Fact]
    public async Task RequestProxied_PublicTrafficWithoutMemoryPressureProbes_GatewayLearnsNothing()
    {
        await using var pressured = await GuardedReplica.StartAsync(heapPercent: 85);
        await using var calm = await GuardedReplica.StartAsync(heapPercent: 10);
        await pressured.WaitForLevelAsync(PressureLevel.Elevated);
        await using var gateway = await TestGateway.StartAsync(
            [pressured.Address, calm.Address],
            activeHealth: Probes("ConsecutiveFailures"),
            transforms: PublicClient);

        var statuses = await gateway.GetManyAsync(40, "/work");

        Assert.All(statuses, s => Assert.Equal(200, s));
        var store = gateway.Services.GetRequiredService<DestinationUsageStore>();
        Assert.False(store.Find(gateway.Destination(0))?.HasReport ?? false, "a response relayed for a public client carried a report");
        Assert.False(store.Find(gateway.Destination(1))?.HasReport ?? false, "a response relayed for a public client carried a report");
        Assert.True(pressured.Hits > 0, "with nothing learned, the pressured replica still gets its share");
    }

    private static ActiveHealthCheckConfig Probes(string policy) => new()
    {
        Enabled = true,
        Interval = TimeSpan.FromSeconds(1),
        Timeout = TimeSpan.FromSeconds(5),
        Policy = policy,
        Path = "/health/ready",
    };

    /// <summary>Moves the gateway's clock a probe interval at a time (at most 10 s of real time) until <paramref name="learned"/>.</summary>
    private static async Task ProbeUntilAsync(TestGateway gateway, Func<bool> learned)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!learned())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The gateway's probes did not report both replicas' usage within 10 s.");
            }

            gateway.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }
    }
}
