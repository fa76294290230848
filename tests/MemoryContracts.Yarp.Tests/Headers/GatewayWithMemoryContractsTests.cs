using System.Net;
using MemoryContracts.Yarp.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts.Yarp.Tests.Headers;

/// <summary>A gateway that is itself guarded by MemoryContracts (<c>AddMemoryContracts</c> + <c>UseMemoryContracts</c>).</summary>
public sealed class GatewayWithMemoryContractsTests
{
    [Fact]
    public async Task ApplyAsync_GatewayReportsItsOwnPressure_ClientGetsTheGatewaysHeadersNotTheBackends()
    {
        await using var backend = await ScriptedBackend.StartAsync("b", response =>
        {
            response.Headers["X-Memory-Usage"] = "37%";
            response.Headers["X-Memory-Capacity"] = "512";
            response.Headers["X-Memory-Contract"] = "backend-v9";
            response.Headers["endpoint-load-metrics"] = "TEXT application_utilization=0.37, mem_utilization=0.37";
        });
        await using var gateway = await TestGateway.StartAsync(
            [backend],
            configureBuilder: builder => builder.Services.AddMemoryContracts(o => o.Contract = new MemoryContract
            {
                Version = "gateway-v1",
                Modules = [new ModuleContract { Name = "gateway", MaxHeapBytes = 4L * 1024 * 1024 * 1024 }],
            }),
            configureApp: app => app.UseMemoryContracts());

        // The gateway's guard (on the gateway's fake clock) samples once before it reports anything of its own.
        var pressure = gateway.Services.GetRequiredService<IMemoryPressure>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (pressure.Current.Timestamp == DateTimeOffset.MinValue && DateTime.UtcNow < deadline)
        {
            gateway.Time.Advance(TimeSpan.FromMilliseconds(500));
            await Task.Delay(10);
        }

        Assert.NotEqual(DateTimeOffset.MinValue, pressure.Current.Timestamp);

        using var response = await gateway.Client.GetAsync(new Uri("/work", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("gateway-v1", Assert.Single(response.Headers.GetValues("X-Memory-Contract")));
        Assert.DoesNotContain("37%", response.Headers.GetValues("X-Memory-Usage"));
        Assert.Single(response.Headers.GetValues("X-Memory-Usage"));
        Assert.Single(response.Headers.GetValues("endpoint-load-metrics"));
        Assert.DoesNotContain("0.37", Assert.Single(response.Headers.GetValues("endpoint-load-metrics")), StringComparison.Ordinal);
        var learned = gateway.Services.GetRequiredService<DestinationUsageStore>().Find(gateway.Destination(0));
        Assert.Equal(37, learned!.UsagePercent, 6);
    }
}
