using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Razor.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts.Tests.AspNetCore;

/// <summary>
/// <c>strict_endpoints</c> checks Razor Pages like any other endpoint of the app's
/// <c>EndpointDataSource</c>. The page is what the Razor SDK would compile from <c>/Pages/Ping.cshtml</c>,
/// handed to MVC as a compiled item (this test project does not run the Razor SDK).
/// </summary>
public sealed class RazorPagesStrictTests
{
    [Fact]
    public async Task StartAsync_StrictEndpointsWithAnUnclaimedRazorPage_FailsListingThePage()
    {
        await using var app = TestApp.Build(TestApp.Contract(strict: true), a => a.MapRazorPages(), AddPingPage);

        var error = await Assert.ThrowsAsync<MemoryContractException>(() => app.StartAsync());

        Assert.Equal("strict_endpoints", error.Key);
        Assert.Contains("1 endpoint(s) belong to no module", error.Message, StringComparison.Ordinal);
        Assert.Contains("(route 'Ping')", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_StrictEndpointsWithRazorPagesClaimedByMetadata_StartsAndServesThePageInItsModule()
    {
        await using var app = TestApp.Build(TestApp.Contract(strict: true), a => a.MapRazorPages().WithMemoryContract("catalog"), AddPingPage);

        await app.StartAsync();

        var endpoints = app.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints;
        var page = Assert.Single(endpoints, e => e.DisplayName?.Contains("Ping", StringComparison.Ordinal) == true);
        Assert.Equal("catalog", page.Metadata.GetMetadata<MemoryContractAttribute>()?.Module);
        await app.StopAsync();
    }

    private static void AddPingPage(IServiceCollection services) =>
        services.AddRazorPages().ConfigureApplicationPartManager(parts =>
        {
            parts.ApplicationParts.Clear();
            parts.ApplicationParts.Add(new PingPagePart());
        });

    /// <summary>An application part carrying one compiled Razor Page, as the Razor SDK's output would.</summary>
    private sealed class PingPagePart : ApplicationPart, IRazorCompiledItemProvider
    {
        public override string Name => "PingPage";

        public IEnumerable<RazorCompiledItem> CompiledItems { get; } = [new PingPageItem()];
    }

    private sealed class PingPageItem : RazorCompiledItem
    {
        public override string Identifier => "/Pages/Ping.cshtml";

        public override string Kind => "mvc.1.0.razor-page";

        public override IReadOnlyList<object> Metadata { get; } = [];

        public override Type Type => typeof(PingPage);
    }
}

/// <summary>The page <see cref="RazorPagesStrictTests"/> hands to MVC.</summary>
public sealed class PingPage : Page
{
    /// <summary>Gets the page itself, as the Razor SDK generates for a page without <c>@model</c>.</summary>
    public PingPage Model => this;

    public override Task ExecuteAsync() => Task.CompletedTask;
}
