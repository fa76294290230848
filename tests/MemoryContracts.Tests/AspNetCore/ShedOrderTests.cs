using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using MemoryContracts.Tests.Infrastructure;

namespace MemoryContracts.Tests.AspNetCore;

public class ShedOrderTests
{
    private static MemoryContract Contract() => new()
    {
        Modules =
        [
            new ModuleContract { Name = "reports", Priority = 10, Routes = ["/reports"] },
            new ModuleContract { Name = "catalog", Priority = 90, Routes = ["/catalog"] },
            new ModuleContract { Name = "checkout", Core = true, Priority = 1, Routes = ["/checkout"] },
        ],
    };

    [Theory]
    [InlineData(0.0, 0.0, 0.0, 0.0)]
    [InlineData(0.2, 0.6, 0.0, 0.0)]
    [InlineData(0.5, 1.0, 0.5, 0.0)]
    [InlineData(0.9, 1.0, 1.0, 0.7)]
    [InlineData(1.0, 1.0, 1.0, 1.0)]
    public void ShedFractionFor_RisingFraction_LowestPriorityShedFirst(double fraction, double reports, double unassigned, double catalog)
    {
        // Tiers among non-core: reports (10), unassigned endpoints (50), catalog (90).
        var map = new EndpointModuleMap(Contract());

        Assert.Equal(3, map.ShedTiers);
        Assert.Equal(reports, map.ShedFractionFor(map.FindModule("reports")!, fraction), 6);
        Assert.Equal(unassigned, map.ShedFractionFor(map.Unassigned, fraction), 6);
        Assert.Equal(catalog, map.ShedFractionFor(map.FindModule("catalog")!, fraction), 6);
    }

    [Fact]
    public void ShedFractionFor_AllSamePriority_OneTierSharesTheFraction()
    {
        var map = new EndpointModuleMap(new MemoryContract { Modules = [new ModuleContract { Name = "a" }, new ModuleContract { Name = "b" }] });

        Assert.Equal(1, map.ShedTiers);
        Assert.Equal(0.3, map.ShedFractionFor(map.FindModule("a")!, 0.3), 6);
    }

    [Fact]
    public async Task InvokeAsync_ScaledHalf_ShedsLowPriorityModuleOnly()
    {
        await using var app = await TestApp.StartAsync(Contract(), a =>
        {
            a.MapGet("/reports/x", () => "r");
            a.MapGet("/catalog/x", () => "c");
        });
        app.Services.Publish(PressureLevel.High, shedFraction: 1.0 / 3);
        var client = app.GetTestClient();

        var reports = 0;
        var catalog = 0;
        for (var i = 0; i < 50; i++)
        {
            reports += (await client.GetAsync(new Uri("/reports/x", UriKind.Relative))).StatusCode == HttpStatusCode.TooManyRequests ? 1 : 0;
            catalog += (await client.GetAsync(new Uri("/catalog/x", UriKind.Relative))).StatusCode == HttpStatusCode.TooManyRequests ? 1 : 0;
        }

        Assert.Equal(50, reports);
        Assert.Equal(0, catalog);
    }
}
