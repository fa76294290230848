using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using MemoryContracts.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts.Tests.AspNetCore;

public sealed class SheddingTests
{
    private static void MapShop(WebApplication app)
    {
        app.MapGet("/catalog/{id}", TestApp.Module);
        app.MapGet("/checkout", TestApp.Module);
        app.MapGet("/misc", TestApp.Module);
        app.MapGet("/metrics", TestApp.Module).WithMemoryContract("catalog");
        app.MapGet("/catalog/export", [DisableMemoryShedding] (HttpContext c) => TestApp.Module(c));
        app.MapGet("/catalog/report", TestApp.Module).DisableMemoryShedding();
        app.MapHealthChecks("/probe/ready");
    }

    [Fact]
    public async Task InvokeAsync_CriticalNonCoreEndpoint_Returns429WithRetryAfterAndProblemJsonNamingModuleAndLevel()
    {
        await using var app = await TestApp.StartAsync(TestApp.Contract(), MapShop);
        app.Services.Publish(PressureLevel.Critical, usagePercent: 97, shedFraction: 1);

        using var response = await app.GetTestClient().GetAsync(new Uri("/catalog/7", UriKind.Relative));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var retryAfter = Assert.Single(response.Headers.GetValues("Retry-After"));
        Assert.InRange(int.Parse(retryAfter, System.Globalization.CultureInfo.InvariantCulture), 5, 6);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(429, body.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("Too Many Requests", body.RootElement.GetProperty("title").GetString());
        Assert.StartsWith("https://", body.RootElement.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Contains("catalog", body.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("catalog", body.RootElement.GetProperty("module").GetString());
        Assert.Equal("critical", body.RootElement.GetProperty("level").GetString());
    }

    [Fact]
    public async Task InvokeAsync_CriticalUnassignedEndpoint_Returns429WithNullModule()
    {
        await using var app = await TestApp.StartAsync(TestApp.Contract(), MapShop);
        app.Services.Publish(PressureLevel.Critical, shedFraction: 1);

        using var response = await app.GetTestClient().GetAsync(new Uri("/misc", UriKind.Relative));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(JsonValueKind.Null, body.RootElement.GetProperty("module").ValueKind);
    }

    [Theory]
    [InlineData("/checkout", "checkout")] // core module
    [InlineData("/metrics", "catalog")] // exempt path, even though its module is non-core
    [InlineData("/catalog/export", "catalog")] // [DisableMemoryShedding]
    [InlineData("/catalog/report", "catalog")] // DisableMemoryShedding()
    public async Task InvokeAsync_CriticalNeverShedEndpoint_IsServed(string path, string module)
    {
        await using var app = await TestApp.StartAsync(TestApp.Contract(), MapShop);
        app.Services.Publish(PressureLevel.Critical, shedFraction: 1);

        using var response = await app.GetTestClient().GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(module, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task InvokeAsync_CriticalHealthEndpointOutsideExemptPaths_IsServedNotShed()
    {
        await using var app = await TestApp.StartAsync(TestApp.Contract(), MapShop);
        app.Services.Publish(PressureLevel.Critical, shedFraction: 1);

        using var response = await app.GetTestClient().GetAsync(new Uri("/probe/ready", UriKind.Relative));

        // The readiness check itself answers 503 at Critical: served by the health check, not shed (429).
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("Unhealthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task InvokeAsync_PublishNormalAfterCritical_StopsShedding()
    {
        await using var app = await TestApp.StartAsync(TestApp.Contract(), MapShop);
        var client = app.GetTestClient();
        app.Services.Publish(PressureLevel.Critical, shedFraction: 1);
        using (var shed = await client.GetAsync(new Uri("/catalog/1", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, shed.StatusCode);
        }

        app.Services.Publish(PressureLevel.Normal);

        for (var i = 0; i < 20; i++)
        {
            using var served = await client.GetAsync(new Uri("/catalog/1", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        }
    }

    [Fact]
    public async Task InvokeAsync_ScaledFraction30Percent_ShedsWithin10PercentOfExpectedOver1000Requests()
    {
        await using var app = await TestApp.StartAsync(TestApp.Contract(), MapShop);
        var client = app.GetTestClient();
        app.Services.Publish(PressureLevel.High, usagePercent: 93, shedFraction: 0.3);

        var shed = 0;
        for (var i = 0; i < 1000; i++)
        {
            using var response = await client.GetAsync(new Uri("/catalog/1", UriKind.Relative));
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                shed++;
            }
            else
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }

        Assert.InRange(shed, 270, 330);
    }

    [Fact]
    public async Task InvokeAsync_ScaledShed_BodyNamesHighLevel()
    {
        await using var app = await TestApp.StartAsync(TestApp.Contract(), MapShop);
        var client = app.GetTestClient();
        app.Services.Publish(PressureLevel.High, shedFraction: 0.5);

        string? body = null;
        for (var i = 0; i < 4 && body is null; i++)
        {
            using var response = await client.GetAsync(new Uri("/catalog/1", UriKind.Relative));
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                body = await response.Content.ReadAsStringAsync();
            }
        }

        Assert.NotNull(body);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("high", json.RootElement.GetProperty("level").GetString());
    }

    [Fact]
    public async Task InvokeAsync_ShadowModeAtCritical_NeverSheds()
    {
        await using var app = await TestApp.StartAsync(TestApp.Contract(MemoryContractMode.Shadow), MapShop);
        var client = app.GetTestClient();

        // The snapshot the guard would publish at Critical under the shadow plan: the plan decides the
        // shed fraction (0), and the middleware acts on what the snapshot says.
        var monitor = app.Services.GetRequiredService<MemoryPressureMonitor>();
        var plan = monitor.Current.Plan;
        var state = new GuardState(plan.Modules.Length) { Overall = PressureLevel.Critical, ProcessHeapRatio = 0.99 };
        var snapshot = SnapshotFactory.Create(plan, state, DateTimeOffset.UtcNow);
        Assert.Equal(0, snapshot.ShedFraction);
        Assert.Equal(1, snapshot.WouldShedFraction);
        monitor.Publish(snapshot);

        foreach (var path in new[] { "/catalog/1", "/misc", "/catalog/1", "/misc" })
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task InvokeAsync_CriticalWithoutShedFraction_Serves()
    {
        // Shedding follows the guard's shed fraction (0 when shed_requests is not configured).
        await using var app = await TestApp.StartAsync(TestApp.Contract(), MapShop);
        app.Services.Publish(PressureLevel.Critical, shedFraction: 0);

        using var response = await app.GetTestClient().GetAsync(new Uri("/catalog/1", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task InvokeAsync_Shed_CountsRequestShedWithModuleTag()
    {
        await using var app = await TestApp.StartAsync(TestApp.Contract(), MapShop);
        using var shed = MetricCollection.Counter(app.Services, MemoryContractsMetricNames.RequestsShed);
        var client = app.GetTestClient();
        app.Services.Publish(PressureLevel.Critical, shedFraction: 1);

        foreach (var path in new[] { "/catalog/1", "/catalog/2", "/misc", "/checkout" })
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        }

        Assert.Equal(2, shed.Sum(MemoryContractsMetricNames.ModuleTag, "catalog"));
        Assert.Equal(1, shed.Sum(MemoryContractsMetricNames.ModuleTag, MemoryContractsMetricNames.UnassignedModule));
        Assert.Equal(0, shed.Sum(MemoryContractsMetricNames.ModuleTag, "checkout"));
        Assert.Equal(3, shed.Total());
    }

    [Fact]
    public async Task InvokeAsync_RetryAfterOfOneSecond_IsNeverBelowOne()
    {
        await using var app = await TestApp.StartAsync(TestApp.Contract(retryAfterSeconds: 1), MapShop);
        app.Services.Publish(PressureLevel.Critical, shedFraction: 1);

        using var response = await app.GetTestClient().GetAsync(new Uri("/catalog/1", UriKind.Relative));

        Assert.Equal("1", Assert.Single(response.Headers.GetValues("Retry-After")));
    }
}
