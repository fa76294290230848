using MemoryContracts.Tests.Infrastructure;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts.Tests.AspNetCore;

public sealed class EndpointModuleTests
{
    private static async Task<string> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task Feature_MinimalApis_ModuleFromConventionAttributeGroupAndRoutes()
    {
        await using var app = await TestApp.StartAsync(TestApp.Contract(), a =>
        {
            a.MapGet("/a/convention", TestApp.Module).WithMemoryContract("reports");
            a.MapGet("/a/attribute", [MemoryContract("checkout")] (HttpContext c) => TestApp.Module(c));
            var group = a.MapGroup("/g").WithMemoryContract("catalog");
            group.MapGet("/inherits", TestApp.Module);
            group.MapGet("/overrides", TestApp.Module).WithMemoryContract("checkout");
            a.MapGet("/catalog/items/{id}", TestApp.Module);
            a.MapGet("/unclaimed", TestApp.Module);
        });
        var client = app.GetTestClient();

        Assert.Equal("reports", await GetAsync(client, "/a/convention"));
        Assert.Equal("checkout", await GetAsync(client, "/a/attribute"));
        Assert.Equal("catalog", await GetAsync(client, "/g/inherits"));
        Assert.Equal("checkout", await GetAsync(client, "/g/overrides"));
        Assert.Equal("catalog", await GetAsync(client, "/catalog/items/3"));
        Assert.Equal("-", await GetAsync(client, "/unclaimed"));
    }

    [Fact]
    public async Task Feature_RoutePrefixes_LongestPrefixWinsAndMetadataBeatsRoutes()
    {
        await using var app = await TestApp.StartAsync(TestApp.Contract(), a =>
        {
            a.MapGet("/reports/weekly", TestApp.Module);
            a.MapGet("/reports/daily/{day}", TestApp.Module);
            a.MapGet("/reports/dailyish", TestApp.Module);
            a.MapGet("/reports/daily/pinned", TestApp.Module).WithMemoryContract("catalog");
            a.MapGet("/REPORTS/DAILY", TestApp.Module);
        });
        var client = app.GetTestClient();

        Assert.Equal("reports", await GetAsync(client, "/reports/weekly"));
        Assert.Equal("ops", await GetAsync(client, "/reports/daily/monday"));
        Assert.Equal("reports", await GetAsync(client, "/reports/dailyish")); // prefixes match whole segments
        Assert.Equal("catalog", await GetAsync(client, "/reports/daily/pinned"));
        Assert.Equal("ops", await GetAsync(client, "/REPORTS/DAILY")); // case-insensitive, like routing
    }

    [Fact]
    public async Task Feature_RouteParameterBeforePrefixEnds_ResolvedFromRequestPath()
    {
        await using var app = await TestApp.StartAsync(TestApp.Contract(), a => a.MapGet("/reports/{kind}", TestApp.Module));
        var client = app.GetTestClient();

        Assert.Equal("ops", await GetAsync(client, "/reports/daily"));
        Assert.Equal("reports", await GetAsync(client, "/reports/weekly"));
    }

    [Fact]
    public async Task Feature_MvcControllers_AttributeOnControllerAndActionAndConventionAndRoutes()
    {
        await using var app = await TestApp.StartAsync(
            TestApp.Contract(),
            a => a.MapControllers(),
            controllers: [typeof(AttributedCatalogController), typeof(RoutedCatalogController)]);
        var client = app.GetTestClient();

        Assert.Equal("catalog", await GetAsync(client, "/mvc/attributed"));
        Assert.Equal("checkout", await GetAsync(client, "/mvc/attributed/checkout"));
        Assert.Equal("catalog", await GetAsync(client, "/catalog/mvc"));
    }

    [Fact]
    public async Task Feature_MapControllersWithMemoryContract_AssignsModule()
    {
        await using var app = await TestApp.StartAsync(
            TestApp.Contract(),
            a => a.MapControllers().WithMemoryContract("reports"),
            controllers: [typeof(ConventionController)]);

        Assert.Equal("reports", await GetAsync(app.GetTestClient(), "/mvc/convention"));
    }

    [Fact]
    public async Task InvokeAsync_CriticalMvc_ShedsNonCoreAndServesCoreAndDisabled()
    {
        await using var app = await TestApp.StartAsync(
            TestApp.Contract(),
            a => a.MapControllers(),
            controllers: [typeof(AttributedCatalogController)]);
        var client = app.GetTestClient();
        app.Services.Publish(PressureLevel.Critical, shedFraction: 1);

        using var shed = await client.GetAsync(new Uri("/mvc/attributed", UriKind.Relative));
        Assert.Equal(HttpStatusCode.TooManyRequests, shed.StatusCode);
        Assert.Equal("checkout", await GetAsync(client, "/mvc/attributed/checkout"));
        Assert.Equal("catalog", await GetAsync(client, "/mvc/attributed/never-shed"));
    }

    [Fact]
    public async Task InvokeAsync_BeforeExplicitUseRouting_ResolvesModuleFromPath()
    {
        await using var app = await TestApp.StartAsync(TestApp.Contract(), a =>
        {
            a.UseRouting(); // after UseMemoryContracts: no endpoint yet when the middleware runs
            a.MapGet("/catalog/{id}", TestApp.Module);
            a.MapGet("/checkout", TestApp.Module);
        });
        var client = app.GetTestClient();

        Assert.Equal("catalog", await GetAsync(client, "/catalog/1"));
        app.Services.Publish(PressureLevel.Critical, shedFraction: 1);
        Assert.Equal("checkout", await GetAsync(client, "/checkout"));
        using var shed = await client.GetAsync(new Uri("/catalog/1", UriKind.Relative));
        Assert.Equal(HttpStatusCode.TooManyRequests, shed.StatusCode);
    }

    [Fact]
    public async Task InvokeAsync_ContractReplacedWithNewRoutes_ResolvesByNewRoutes()
    {
        await using var app = await TestApp.StartAsync(TestApp.Contract(), a => a.MapGet("/labs/x", TestApp.Module));
        var client = app.GetTestClient();
        Assert.Equal("-", await GetAsync(client, "/labs/x"));

        var source = app.Services.GetRequiredService<MemoryContractSource>();
        source.Replace(new MemoryContract { Modules = [new ModuleContract { Name = "labs", Core = true, Routes = ["/labs"] }] });

        Assert.Equal("labs", await GetAsync(client, "/labs/x"));
        app.Services.Publish(PressureLevel.Critical, shedFraction: 1);
        Assert.Equal("labs", await GetAsync(client, "/labs/x")); // core in the new contract: served
    }
}
