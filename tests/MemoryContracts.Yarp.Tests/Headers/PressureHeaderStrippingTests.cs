using System.Net;
using MemoryContracts.Yarp.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Model;

namespace MemoryContracts.Yarp.Tests.Headers;

/// <summary>What the gateway's clients see of the pressure headers, and what it does with bad ones.</summary>
public sealed class PressureHeaderStrippingTests
{
    private static readonly Action<HttpResponse> ReportsEverything = response =>
    {
        response.Headers["X-Memory-Usage"] = "68%";
        response.Headers["X-Memory-Capacity"] = "2048";
        response.Headers["X-Memory-Contract"] = "v1.2";
        response.Headers["X-Memory-Future"] = "anything";
        response.Headers["endpoint-load-metrics"] = "TEXT application_utilization=0.68, mem_utilization=0.68";
        response.Headers["X-Other"] = "kept";
    };

    [Fact]
    public async Task ApplyAsync_BackendSendsPressureHeaders_ClientSeesNone()
    {
        await using var backend = await ScriptedBackend.StartAsync("b", ReportsEverything);
        await using var gateway = await TestGateway.StartAsync([backend]);

        using var response = await gateway.Client.GetAsync(new Uri("/work", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("X-Memory-", StringComparison.OrdinalIgnoreCase));
        Assert.False(response.Headers.Contains("endpoint-load-metrics"));
        Assert.Equal("kept", Assert.Single(response.Headers.GetValues("X-Other")));
        Assert.Equal("b", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ApplyAsync_BackendShedsWithPressureHeaders_ClientGets429WithRetryAfterButNoPressureHeaders()
    {
        await using var backend = await ScriptedBackend.StartAsync("b", response =>
        {
            ReportsEverything(response);
            response.StatusCode = StatusCodes.Status429TooManyRequests;
            response.Headers.RetryAfter = "2";
        });
        await using var gateway = await TestGateway.StartAsync([backend]);

        using var response = await gateway.Client.GetAsync(new Uri("/work", UriKind.Relative));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("X-Memory-", StringComparison.OrdinalIgnoreCase));
        Assert.False(response.Headers.Contains("endpoint-load-metrics"));
    }

    [Theory]
    [InlineData("abc", "TEXT application_utilization=oops", "soon")]
    [InlineData("-5%", "JSON {\"application_utilization\":0.5}", "-1")]
    [InlineData("99999999999%", "TEXT =0.5,,", "Tue, 32 Foo 2025 99:00:00 GMT")]
    [InlineData("12.5%", "TEXT application_utilization=NaN", "1e3")]
    public async Task ApplyAsync_MalformedPressureHeaders_RelayedWithoutThemAndIgnored(string usage, string orca, string retryAfter)
    {
        await using var backend = await ScriptedBackend.StartAsync("b", response =>
        {
            response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            response.Headers["X-Memory-Usage"] = usage;
            response.Headers["endpoint-load-metrics"] = orca;
            response.Headers.RetryAfter = retryAfter;
        });
        await using var gateway = await TestGateway.StartAsync([backend]);

        using var response = await gateway.Client.GetAsync(new Uri("/work", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Memory-Usage"));
        Assert.False(response.Headers.Contains("endpoint-load-metrics"));
        var store = gateway.Services.GetRequiredService<DestinationUsageStore>();
        var learned = store.Find(gateway.Destination(0));
        Assert.False(learned?.HasReport ?? false);
        Assert.NotEqual(DestinationHealth.Unhealthy, gateway.Destination(0).Health.Passive);
    }

    [Fact]
    public async Task ApplyAsync_PressureHeaderSentTwice_Ignored()
    {
        await using var backend = await ScriptedBackend.StartAsync("b", response =>
            response.Headers.Append("X-Memory-Usage", new Microsoft.Extensions.Primitives.StringValues(["40%", "90%"])));
        await using var gateway = await TestGateway.StartAsync([backend]);

        using var response = await gateway.Client.GetAsync(new Uri("/work", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("X-Memory-Usage"));
        Assert.False(gateway.Services.GetRequiredService<DestinationUsageStore>().Find(gateway.Destination(0))?.HasReport ?? false);
    }
}
