using MemoryContracts.Yarp.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Model;

namespace MemoryContracts.Yarp.Tests.Health;

/// <summary>
/// A fleet that is shedding everywhere at once (bench/fleet.sh over capacity): each replica sheds only
/// its non-core requests, so the gateway must keep proxying (core requests are still served there)
/// rather than answer 503 itself because every destination is passively unhealthy.
/// </summary>
public sealed class EveryDestinationSheddingTests
{
    private static readonly Action<HttpResponse> Sheds = response =>
    {
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers["X-Memory-Usage"] = "97%";
        response.Headers.RetryAfter = "2";
    };

    [Fact]
    public async Task RequestProxied_EveryBackendShedsWithinItsRetryAfter_GatewayStillProxiesToThem()
    {
        await using var a = await ScriptedBackend.StartAsync("a", Sheds);
        await using var b = await ScriptedBackend.StartAsync("b", Sheds);
        await using var gateway = await TestGateway.StartAsync([a, b]);

        var shed = await gateway.GetManyAsync(4);
        Assert.All(shed, s => Assert.Equal(429, s));
        Assert.Equal(DestinationHealth.Unhealthy, gateway.Destination(0).Health.Passive);
        Assert.Equal(DestinationHealth.Unhealthy, gateway.Destination(1).Health.Passive);

        // Still inside both Retry-After windows (the fake clock has not moved): the replicas now
        // answer (as they do a core request), and the gateway must hand the requests to them.
        a.Respond = _ => { };
        b.Respond = _ => { };
        var hitsBefore = a.Hits + b.Hits;
        var served = await gateway.GetManyAsync(4);

        Assert.All(served, s => Assert.Equal(200, s));
        Assert.Equal(hitsBefore + 4, a.Hits + b.Hits);
    }
}
