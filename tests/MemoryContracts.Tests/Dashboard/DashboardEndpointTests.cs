using System.Net;
using System.Text.Json;
using MemoryContracts.Tests.AspNetCore;
using MemoryContracts.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts.Tests.Dashboard;

public sealed class DashboardEndpointTests
{
    private static readonly Uri Page = new("/memory-contracts", UriKind.Relative);
    private static readonly Uri History = new("/memory-contracts/history", UriKind.Relative);

    [Fact]
    public async Task Page_TrustedCaller_ServesTheSelfContainedPageWithSecurityHeaders()
    {
        await using var app = await DashboardTestApp.StartAsync(IPAddress.Loopback);

        using var response = await app.GetTestClient().GetAsync(Page);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<canvas id=\"chart-memory\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", html, StringComparison.OrdinalIgnoreCase);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal(DashboardPage.Instance.ContentSecurityPolicy, Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
    }

    [Fact]
    public async Task History_AfterPublishes_ReturnsSnapshotsOldestFirstWithLevelNamesAndNullWorkingSet()
    {
        var time = new FakeTimeProvider();
        await using var app = await DashboardTestApp.StartAsync(IPAddress.Loopback, time: time);
        app.Services.Publish(PressureLevel.Normal, usagePercent: 40, contractVersion: "v2.0",
            modules: new ModulePressure("catalog", PressureLevel.Normal, 0.4, 0.1, 0.05));
        time.Advance(TimeSpan.FromSeconds(2));
        app.Services.Publish(PressureLevel.Elevated, usagePercent: 85, shedFraction: 0.25, contractVersion: "v2.0",
            modules: new ModulePressure("catalog", PressureLevel.Elevated, 0.85, 1.25, 0.5));
        time.Advance(TimeSpan.FromSeconds(3));

        using var history = await app.GetHistoryAsync();

        var root = history.RootElement;
        var now = root.GetProperty("now").GetDateTimeOffset();
        Assert.Equal(time.GetUtcNow(), now);
        Assert.Equal(600, root.GetProperty("window_seconds").GetInt32());
        Assert.Equal(500, root.GetProperty("sampling_interval_ms").GetInt64());
        Assert.Equal("enforce", root.GetProperty("mode").GetString());
        Assert.Equal("elevated", root.GetProperty("level").GetString());
        Assert.Equal("v2.0", root.GetProperty("contract_version").GetString());
        Assert.Equal(0.8, root.GetProperty("heap_thresholds").GetProperty("elevated").GetDouble());

        var snapshots = root.GetProperty("snapshots").EnumerateArray().ToList();
        Assert.Equal(["normal", "elevated", "elevated"], snapshots.Select(s => s.GetProperty("level").GetString()));
        Assert.Equal([now.AddSeconds(-5), now.AddSeconds(-3), now], snapshots.Select(s => s.GetProperty("timestamp").GetDateTimeOffset()));
        var last = snapshots[^1];
        Assert.Equal(85, last.GetProperty("usage_percent").GetInt32());
        Assert.Equal(2048L * 1024 * 1024, last.GetProperty("capacity_bytes").GetInt64());
        Assert.Equal(2048L * 1024 * 1024 / 100 * 85, last.GetProperty("heap_bytes").GetInt64());
        Assert.Equal(0.85, last.GetProperty("heap_ratio").GetDouble());
        Assert.Equal(0.25, last.GetProperty("shed_fraction").GetDouble());
        Assert.Equal("v2.0", last.GetProperty("contract_version").GetString());
        Assert.Equal(JsonValueKind.Null, last.GetProperty("working_set_bytes").ValueKind);
        Assert.Equal(JsonValueKind.Null, last.GetProperty("container_limit_bytes").ValueKind);
        Assert.Equal(JsonValueKind.Null, last.GetProperty("working_set_ratio").ValueKind);
        var module = Assert.Single(last.GetProperty("modules").EnumerateArray());
        Assert.Equal("catalog", module.GetProperty("name").GetString());
        Assert.Equal("elevated", module.GetProperty("level").GetString());
        Assert.Equal(0.85, module.GetProperty("heap_ratio").GetDouble());
        Assert.Equal(1.25, module.GetProperty("alloc_rate_ratio").GetDouble());
        Assert.Equal(0.5, module.GetProperty("gc_pause_ratio").GetDouble());

        var changes = root.GetProperty("level_changes").EnumerateArray().ToList();
        Assert.Equal(
            [(null, "normal", "elevated"), ("catalog", "normal", "elevated")],
            changes.Select(c => (c.GetProperty("module").GetString(), c.GetProperty("from").GetString(), c.GetProperty("to").GetString())));
        Assert.All(changes, c => Assert.Equal(now.AddSeconds(-3), c.GetProperty("timestamp").GetDateTimeOffset()));
    }

    [Fact]
    public async Task History_ElevenMinutesOfSnapshots_ReturnsOnlyTheLastTenMinutes()
    {
        var time = new FakeTimeProvider();
        await using var app = await DashboardTestApp.StartAsync(IPAddress.Loopback, time: time);
        for (var minute = 0; minute <= 11; minute++)
        {
            app.Services.Publish(PressureLevel.Normal, usagePercent: 30 + minute);
            time.Advance(TimeSpan.FromMinutes(1));
        }

        using var history = await app.GetHistoryAsync();

        var now = history.RootElement.GetProperty("now").GetDateTimeOffset();
        var snapshots = history.RootElement.GetProperty("snapshots").EnumerateArray().ToList();
        Assert.All(snapshots, s => Assert.InRange(s.GetProperty("timestamp").GetDateTimeOffset(), now.AddMinutes(-10), now));
        // Minutes 2..11 plus the snapshot in force now; minute 2's point is the one in force at the window's start.
        Assert.Equal([.. Enumerable.Range(32, 10), 41], snapshots.Select(s => s.GetProperty("usage_percent").GetInt32()));
        Assert.Equal(now.AddMinutes(-10), snapshots[0].GetProperty("timestamp").GetDateTimeOffset());
    }

    [Fact]
    public async Task History_Since_ReturnsTheLaterPointsAndTheSnapshotInForce()
    {
        var time = new FakeTimeProvider();
        await using var app = await DashboardTestApp.StartAsync(IPAddress.Loopback, time: time);
        app.Services.Publish(PressureLevel.Normal, usagePercent: 40);
        time.Advance(TimeSpan.FromSeconds(1));
        var since = time.GetUtcNow();
        app.Services.Publish(PressureLevel.Normal, usagePercent: 41);
        time.Advance(TimeSpan.FromSeconds(1));

        using var history = await app.GetHistoryAsync("/memory-contracts/history?since=" + Uri.EscapeDataString(since.ToString("O", System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal([41, 41], history.RootElement.GetProperty("snapshots").EnumerateArray().Select(s => s.GetProperty("usage_percent").GetInt32()));
    }

    [Fact]
    public async Task History_SinceNotATimestamp_Returns400SayingWhatIsExpected()
    {
        await using var app = await DashboardTestApp.StartAsync(IPAddress.Loopback);

        using var response = await app.GetTestClient().GetAsync(new Uri("/memory-contracts/history?since=yesterday", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("ISO 8601", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("203.0.113.7")]
    [InlineData(null)]
    public async Task PageAndHistory_UntrustedCaller_Return403(string? remote)
    {
        await using var app = await DashboardTestApp.StartAsync(remote is null ? null : IPAddress.Parse(remote));
        app.Services.Publish(PressureLevel.High);
        var client = app.GetTestClient();

        using var page = await client.GetAsync(Page);
        using var history = await client.GetAsync(History);

        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, history.StatusCode);
        Assert.DoesNotContain("<canvas", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("snapshots", await history.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(page.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public async Task Page_LoopbackNotInTheContractsTrustedNetworks_Returns403()
    {
        var contract = TestApp.Contract();
        contract = new MemoryContract
        {
            Modules = contract.Modules,
            Propagation = new PropagationPolicy { TrustedNetworks = ["10.0.0.0/8"] },
        };
        await using var app = await DashboardTestApp.StartAsync(IPAddress.Loopback, contract);

        using var response = await app.GetTestClient().GetAsync(Page);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Page_TrustedProxyRelayingAnOutsider_Returns403()
    {
        await using var app = await DashboardTestApp.StartAsync(IPAddress.Parse("10.0.0.1"));
        using var request = new HttpRequestMessage(HttpMethod.Get, Page);
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");

        using var response = await app.GetTestClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("Forwarded", "for=203.0.113.7;proto=https")]
    [InlineData("Forwarded", "for=\"[2001:db8::1]:443\"")]
    [InlineData("X-Forwarded-For", "10.0.0.5, unknown")]
    [InlineData("X-Forwarded-For", "10.0.0.5:")]
    [InlineData("Forwarded", "for=\"10.0.0.5")]
    public async Task PageAndHistory_TrustedProxyRelayingAnOutsiderOrMalformed_Return403(string header, string value)
    {
        await using var app = await DashboardTestApp.StartAsync(IPAddress.Parse("10.0.0.1"));
        app.Services.Publish(PressureLevel.High);
        var client = app.GetTestClient();

        using var page = await client.SendAsync(WithHeader(Page, header, value));
        using var history = await client.SendAsync(WithHeader(History, header, value));

        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, history.StatusCode);
        Assert.DoesNotContain("snapshots", await history.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("X-Forwarded-For", "10.0.0.5, 127.0.0.1")]
    [InlineData("Forwarded", "for=10.0.0.5;proto=http, for=\"[::1]:8080\"")]
    public async Task PageAndHistory_SidecarChainInsideTrustedNetworks_Answer(string header, string value)
    {
        await using var app = await DashboardTestApp.StartAsync(IPAddress.Parse("10.0.0.1"));
        app.Services.Publish(PressureLevel.High);
        var client = app.GetTestClient();

        using var page = await client.SendAsync(WithHeader(Page, header, value));
        using var history = await client.SendAsync(WithHeader(History, header, value));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.OK, history.StatusCode);
        Assert.Contains("snapshots", await history.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static HttpRequestMessage WithHeader(Uri uri, string header, string value)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.TryAddWithoutValidation(header, value);
        return request;
    }

    [Fact]
    public async Task PageAndHistory_Critical_AreNeverShed()
    {
        await using var app = await DashboardTestApp.StartAsync(IPAddress.Loopback);
        app.Services.Publish(PressureLevel.Critical, usagePercent: 99, shedFraction: 1);
        var client = app.GetTestClient();

        using var page = await client.GetAsync(Page);
        using var history = await client.GetAsync(History);
        using var shed = await client.GetAsync(new Uri("/catalog", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.OK, history.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, shed.StatusCode);
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Where(e => e.DisplayName?.StartsWith("MemoryContracts dashboard", StringComparison.Ordinal) == true).ToList();
        Assert.Equal(2, endpoints.Count);
        Assert.All(endpoints, e => Assert.NotNull(e.Metadata.GetMetadata<DisableMemorySheddingAttribute>()));
    }

    [Fact]
    public async Task Map_RequireAuthorization_AppliesToPageAndHistory()
    {
        await using var app = await DashboardTestApp.StartAsync(
            IPAddress.Loopback,
            services: s =>
            {
                s.AddAuthentication(HeaderAuthenticationHandler.SchemeName)
                    .AddScheme<AuthenticationSchemeOptions, HeaderAuthenticationHandler>(HeaderAuthenticationHandler.SchemeName, null);
                s.AddAuthorization();
            },
            map: app =>
            {
                app.UseAuthentication();
                app.UseAuthorization();
                return app.MapMemoryContractsDashboard().RequireAuthorization();
            });
        var client = app.GetTestClient();

        using var anonymousPage = await client.GetAsync(Page);
        using var anonymousHistory = await client.GetAsync(History);
        using var signedIn = new HttpRequestMessage(HttpMethod.Get, History);
        signedIn.Headers.Add(HeaderAuthenticationHandler.Header, "ops");
        using var signedInHistory = await client.SendAsync(signedIn);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymousPage.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousHistory.StatusCode);
        Assert.Equal(HttpStatusCode.OK, signedInHistory.StatusCode);
    }

    [Fact]
    public async Task Map_CustomPatternUnderAGroup_ServesPageAndHistoryThere()
    {
        await using var app = await DashboardTestApp.StartAsync(
            IPAddress.Loopback,
            map: app => app.MapGroup("/ops").MapMemoryContractsDashboard("/memory"));
        var client = app.GetTestClient();

        using var page = await client.GetAsync(new Uri("/ops/memory", UriKind.Relative));
        using var history = await client.GetAsync(new Uri("/ops/memory/history", UriKind.Relative));
        using var defaultPage = await client.GetAsync(Page);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.OK, history.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, defaultPage.StatusCode);
    }

    [Fact]
    public async Task Map_WithoutAddMemoryContracts_ThrowsNamingTheMissingCall()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        await using var app = builder.Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapMemoryContractsDashboard());

        Assert.Contains("AddMemoryContracts()", error.Message, StringComparison.Ordinal);
        Assert.Contains("MapMemoryContractsDashboard()", error.Message, StringComparison.Ordinal);
    }
}
