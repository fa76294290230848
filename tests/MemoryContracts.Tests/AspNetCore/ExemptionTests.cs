using System.Net;
using MemoryContracts.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.TestHost;

namespace MemoryContracts.Tests.AspNetCore;

/// <summary>
/// DESIGN §13: shedding exemptions follow the matched endpoint (its route pattern, health-check
/// metadata, <c>[DisableMemoryShedding]</c>), never the raw request path, when an endpoint is matched.
/// </summary>
public sealed class ExemptionTests
{
    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return response.StatusCode;
    }

    private static RouteEndpoint Route(string pattern, params object[] metadata) =>
        new(_ => Task.CompletedTask, RoutePatternFactory.Parse(pattern), 0, new EndpointMetadataCollection(metadata), pattern);

    [Theory]
    [InlineData("/health/x")]
    [InlineData("/metrics/x")]
    [InlineData("/HEALTHZ/x")]
    [InlineData("/health")]
    public async Task InvokeAsync_CriticalUnderFallbackEndpoint_ShedsExemptLookingPath(string path)
    {
        await using var app = await TestApp.StartAsync(TestApp.Contract(), a => a.MapFallback(TestApp.Module));
        app.Services.Publish(PressureLevel.Critical, shedFraction: 1);

        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(app.GetTestClient(), path));
    }

    [Theory]
    [InlineData("/health/orders")]
    [InlineData("/metrics/orders")]
    [InlineData("/HEALTHZ/orders")]
    public async Task InvokeAsync_CriticalUnderFirstSegmentRouteParameter_ShedsExemptLookingPath(string path)
    {
        await using var app = await TestApp.StartAsync(TestApp.Contract(), a => a.MapGet("/{tenant}/orders", TestApp.Module));
        app.Services.Publish(PressureLevel.Critical, shedFraction: 1);

        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(app.GetTestClient(), path));
    }

    [Theory]
    [InlineData("/health/x")]
    [InlineData("/metrics")]
    [InlineData("/HEALTHZ/deep/x")]
    public async Task InvokeAsync_CriticalEndpointPatternUnderExemptPath_IsServed(string path)
    {
        await using var app = await TestApp.StartAsync(TestApp.Contract(), a =>
        {
            a.MapGet("/health/{name}", TestApp.Module);
            a.MapGet("/metrics", TestApp.Module).WithMemoryContract("catalog");
            a.MapGet("/healthz/{**rest}", TestApp.Module);
            a.MapFallback(TestApp.Module);
        });
        app.Services.Publish(PressureLevel.Critical, shedFraction: 1);

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(app.GetTestClient(), path));
    }

    [Fact]
    public async Task InvokeAsync_CriticalWithoutMatchedEndpoint_ExemptsByRawPath()
    {
        await using var app = await TestApp.StartAsync(TestApp.Contract(), a => a.MapGet("/catalog/{id}", TestApp.Module));
        var client = app.GetTestClient();
        app.Services.Publish(PressureLevel.Critical, shedFraction: 1);

        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(client, "/health/nothing-here")); // no endpoint: the path decides
        Assert.Equal(HttpStatusCode.TooManyRequests, await StatusAsync(client, "/nothing-here"));
    }

    [Theory]
    [InlineData("/health/{name}", true)]
    [InlineData("/metrics", true)]
    [InlineData("/Healthz/{**rest}", true)]
    [InlineData("/{tenant}/orders", false)]
    [InlineData("{**path}", false)]
    [InlineData("/healthcheck", false)]
    [InlineData("/health{suffix}", false)]
    public void BuildPolicy_RoutePattern_NeverShedOnlyWhenItsLiteralPrefixIsUnderAnExemptPath(string pattern, bool neverShed)
    {
        var map = new EndpointModuleMap(TestApp.Contract());

        var policy = map.BuildPolicy(Route(pattern));

        Assert.Equal(neverShed, policy.NeverShed);
        Assert.False(policy.ExemptByPath);
    }

    [Fact]
    public void PathPolicy_NoEndpoint_IsExemptByPath()
    {
        var map = new EndpointModuleMap(TestApp.Contract());

        Assert.True(map.PathPolicy.ExemptByPath);
        Assert.False(map.PathPolicy.NeverShed);
    }
}
