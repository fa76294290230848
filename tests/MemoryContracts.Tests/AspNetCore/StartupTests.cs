using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;

namespace MemoryContracts.Tests.AspNetCore;

public sealed class StartupTests
{
    [Fact]
    public async Task UseMemoryContracts_WithoutAddMemoryContracts_ThrowsNamingAddMemoryContracts()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        await using var app = builder.Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.UseMemoryContracts());

        Assert.Contains("AddMemoryContracts()", error.Message, StringComparison.Ordinal);
        Assert.Contains("UseMemoryContracts()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_StrictEndpointsWithUnclaimedEndpoints_FailsListingEachUnclaimedEndpoint()
    {
        await using var app = TestApp.Build(TestApp.Contract(strict: true), a =>
        {
            a.MapGet("/catalog/{id}", TestApp.Module); // claimed by routes
            a.MapPost("/orders", TestApp.Module).WithMemoryContract("checkout"); // claimed by metadata
            a.MapGet("/stray", TestApp.Module).WithDisplayName("Stray endpoint");
            a.MapDelete("/admin/cache", TestApp.Module);
            a.MapGet("/{tenant}/reports", TestApp.Module);
            a.MapGet("/metrics", TestApp.Module); // exempt path: infrastructure
            a.MapHealthChecks("/probe/live"); // health checks need no module
        });

        var error = await Assert.ThrowsAsync<MemoryContractException>(() => app.StartAsync());

        Assert.Equal("strict_endpoints", error.Key);
        Assert.Contains("3 endpoint(s) belong to no module", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Stray endpoint' (route '/stray')", error.Message, StringComparison.Ordinal);
        Assert.Contains("(route '/admin/cache')", error.Message, StringComparison.Ordinal);
        Assert.Contains("(route '/{tenant}/reports')", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("/catalog/{id}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("/orders", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("/metrics", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("/probe/live", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_StrictEndpointsWithMvcController_ListsUnclaimedAction()
    {
        await using var app = TestApp.Build(
            TestApp.Contract(strict: true),
            a => a.MapControllers(),
            controllers: [typeof(AttributedCatalogController), typeof(ConventionController)]);

        var error = await Assert.ThrowsAsync<MemoryContractException>(() => app.StartAsync());

        Assert.Contains("1 endpoint(s) belong to no module", error.Message, StringComparison.Ordinal);
        Assert.Contains("(route 'mvc/convention')", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_StrictEndpointsAllClaimed_Starts()
    {
        await using var app = await TestApp.StartAsync(TestApp.Contract(strict: true), a =>
        {
            a.MapGet("/catalog/{id}", TestApp.Module);
            a.MapGet("/health", () => "ok");
            a.MapHealthChecks("/probe/ready");
            a.MapGet("/elsewhere", TestApp.Module).WithMemoryContract("reports");
        });

        using var response = await app.GetTestClient().GetAsync(new Uri("/elsewhere", UriKind.Relative));
        Assert.Equal("reports", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task StartAsync_StrictEndpointsWithDashboard_StartsAndServesIt()
    {
        await using var app = await TestApp.StartAsync(TestApp.Contract(strict: true), a =>
        {
            a.MapGet("/catalog/{id}", TestApp.Module);
            a.MapMemoryContractsDashboard();
        });

        using var response = await app.GetTestClient().GetAsync(new Uri("/memory-contracts/history", UriKind.Relative));
        Assert.NotEqual(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public void Unclaimed_DashboardEndpointsWithoutTheMarker_Listed()
    {
        var map = new EndpointModuleMap(TestApp.Contract(strict: true));
        var marked = new RouteEndpoint(
            _ => Task.CompletedTask, RoutePatternFactory.Parse("/memory-contracts"), 0,
            new EndpointMetadataCollection(DashboardEndpointMetadata.Instance), "dashboard");
        var unmarked = new RouteEndpoint(
            _ => Task.CompletedTask, RoutePatternFactory.Parse("/memory-contracts"), 0,
            EndpointMetadataCollection.Empty, "dashboard");

        Assert.Empty(EndpointChecks.Unclaimed(map, [marked]));
        Assert.Single(EndpointChecks.Unclaimed(map, [unmarked]));
    }

    [Fact]
    public async Task StartAsync_EndpointNamesUnknownModule_FailsNamingEndpointAndModule()
    {
        await using var app = TestApp.Build(TestApp.Contract(), a =>
        {
            a.MapGet("/catalog/{id}", TestApp.Module).WithMemoryContract("catalgo");
            a.MapGet("/fine", TestApp.Module).WithMemoryContract("catalog");
        });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());

        Assert.Contains("(route '/catalog/{id}') names module 'catalgo'", error.Message, StringComparison.Ordinal);
        Assert.Contains("catalog, checkout, reports, ops", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("/fine", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithMemoryContract_BlankModule_Throws()
    {
        var builder = new TestConventionBuilder();

        Assert.Throws<ArgumentException>(() => builder.WithMemoryContract(" "));
        Assert.Throws<ArgumentNullException>(() => builder.WithMemoryContract(null!));
    }

    private sealed class TestConventionBuilder : IEndpointConventionBuilder
    {
        public void Add(Action<EndpointBuilder> convention)
        {
        }
    }
}
