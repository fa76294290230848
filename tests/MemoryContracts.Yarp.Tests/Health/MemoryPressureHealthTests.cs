using MemoryContracts.Yarp.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Model;

namespace MemoryContracts.Yarp.Tests.Health;

/// <summary>A real gateway whose round-robin cluster has a backend that sheds with <c>Retry-After</c>.</summary>
public sealed class MemoryPressureHealthTests
{
    private static readonly Action<HttpResponse> Sheds = response =>
    {
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers["X-Memory-Usage"] = "97%";
        response.Headers.RetryAfter = "2";
    };

    [Fact]
    public async Task RequestProxied_BackendSheds429WithRetryAfter2_UnhealthyAndSparedForTwoSeconds()
    {
        await using var healthy = await ScriptedBackend.StartAsync("healthy");
        await using var shedding = await ScriptedBackend.StartAsync("shedding", Sheds);
        // Round robin, so only the passive health policy keeps requests away from the shedding one.
        await using var gateway = await TestGateway.StartAsync([healthy, shedding], loadBalancingPolicy: "RoundRobin");

        var first = await gateway.GetManyAsync(2);
        Assert.Contains(429, first);
        await gateway.WaitForAvailableAsync(available => available.Count == 1);
        Assert.Equal(DestinationHealth.Unhealthy, gateway.Destination(1).Health.Passive);

        var hitsWhenShed = shedding.Hits;
        var during = await gateway.GetManyAsync(20);
        gateway.Time.Advance(TimeSpan.FromSeconds(1.5));
        during = [.. during, .. await gateway.GetManyAsync(20)];

        Assert.Equal(hitsWhenShed, shedding.Hits);
        Assert.All(during, s => Assert.Equal(200, s));

        shedding.Respond = _ => { };
        gateway.Time.Advance(TimeSpan.FromSeconds(0.5));
        await gateway.WaitForAvailableAsync(available => available.Count == 2);
        await gateway.GetManyAsync(10);

        Assert.True(shedding.Hits > hitsWhenShed, "the backend was not called again after its Retry-After");
        Assert.NotEqual(DestinationHealth.Unhealthy, gateway.Destination(1).Health.Passive);
    }

    [Fact]
    public async Task RequestProxied_429WithoutMemoryUsage_StaysHealthy()
    {
        await using var healthy = await ScriptedBackend.StartAsync("healthy");
        await using var limited = await ScriptedBackend.StartAsync("limited", response =>
        {
            response.StatusCode = StatusCodes.Status429TooManyRequests;
            response.Headers.RetryAfter = "2";
        });
        await using var gateway = await TestGateway.StartAsync([healthy, limited], loadBalancingPolicy: "RoundRobin");

        var statuses = await gateway.GetManyAsync(10);

        Assert.Equal(5, statuses.Count(s => s == 429));
        Assert.Equal(DestinationHealth.Healthy, gateway.Destination(1).Health.Passive);
        Assert.Equal(2, gateway.Cluster.DestinationsState.AvailableDestinations.Count);
    }

    [Fact]
    public async Task PickDestination_BackendSheds_MemoryPressurePolicyAvoidsItEvenWithoutPassiveHealth()
    {
        await using var healthy = await ScriptedBackend.StartAsync("healthy");
        await using var shedding = await ScriptedBackend.StartAsync("shedding", Sheds);
        await using var gateway = await TestGateway.StartAsync([healthy, shedding], passiveHealth: false);
        while (shedding.Hits == 0)
        {
            await gateway.GetManyAsync(1);
        }

        var statuses = await gateway.GetManyAsync(30);

        Assert.Equal(1, shedding.Hits);
        Assert.All(statuses, s => Assert.Equal(200, s));
    }
}
