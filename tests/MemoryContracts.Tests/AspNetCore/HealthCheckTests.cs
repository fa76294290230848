using System.Net;
using MemoryContracts.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MemoryContracts.Tests.AspNetCore;

public sealed class HealthCheckTests
{
    private static void MapProbes(WebApplication app)
    {
        app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready") });
        app.MapHealthChecks("/health/live", new() { Predicate = c => c.Tags.Contains("live") });
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return response.StatusCode;
    }

    [Fact]
    public async Task Readiness_CriticalThenNormal_503Then200()
    {
        await using var app = await TestApp.StartAsync(TestApp.Contract(), MapProbes);
        var client = app.GetTestClient();

        app.Services.Publish(PressureLevel.Normal);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/health/ready"));
        app.Services.Publish(PressureLevel.Critical, usagePercent: 98, shedFraction: 1);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusAsync(client, "/health/ready"));
        app.Services.Publish(PressureLevel.Normal);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/health/ready"));
    }

    private static MemoryContract WithUnreadyAt(PressureLevel? unreadyAt, MemoryContractMode mode = MemoryContractMode.Enforce)
    {
        var contract = TestApp.Contract(mode);
        return new MemoryContract { Mode = contract.Mode, Modules = contract.Modules, Responses = contract.Responses, Health = new HealthPolicy { UnreadyAt = unreadyAt } };
    }

    private static async Task<HealthReportEntry> ReadinessAsync(WebApplication app) =>
        (await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(c => c.Name == "memory_contracts")).Entries["memory_contracts"];

    [Fact]
    public async Task Readiness_HighWhileScaledShedding_DegradedNot503ByDefault()
    {
        await using var app = await TestApp.StartAsync(TestApp.Contract(), MapProbes);
        var client = app.GetTestClient();

        app.Services.Publish(PressureLevel.High, usagePercent: 92);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/health/ready")); // Degraded answers 200
        app.Services.Publish(PressureLevel.High, usagePercent: 93, shedFraction: 0.2);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/health/ready"));

        var entry = await ReadinessAsync(app);
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains("shedding 20% of non-core requests", entry.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PressureLevel.Critical, PressureLevel.Elevated, HealthStatus.Degraded)]
    [InlineData(PressureLevel.Critical, PressureLevel.High, HealthStatus.Degraded)]
    [InlineData(PressureLevel.Critical, PressureLevel.Critical, HealthStatus.Unhealthy)]
    [InlineData(PressureLevel.High, PressureLevel.Elevated, HealthStatus.Degraded)]
    [InlineData(PressureLevel.High, PressureLevel.High, HealthStatus.Unhealthy)]
    [InlineData(PressureLevel.High, PressureLevel.Critical, HealthStatus.Unhealthy)]
    [InlineData(null, PressureLevel.High, HealthStatus.Degraded)]
    [InlineData(null, PressureLevel.Critical, HealthStatus.Degraded)]
    [InlineData(null, PressureLevel.Normal, HealthStatus.Healthy)]
    public async Task ReadinessCheck_UnreadyAt_FailsFromThatLevelUp(PressureLevel? unreadyAt, PressureLevel level, HealthStatus expected)
    {
        await using var app = await TestApp.StartAsync(WithUnreadyAt(unreadyAt), MapProbes);
        app.Services.Publish(level, usagePercent: 93, shedFraction: level == PressureLevel.Critical ? 1 : level == PressureLevel.High ? 0.4 : 0);

        Assert.Equal(expected, (await ReadinessAsync(app)).Status);
    }

    [Fact]
    public async Task Readiness_UnreadyAtNeverAtCritical_200WithSheddingInMessage()
    {
        await using var app = await TestApp.StartAsync(WithUnreadyAt(null), MapProbes);
        app.Services.Publish(PressureLevel.Critical, usagePercent: 98, shedFraction: 1);

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(app.GetTestClient(), "/health/ready"));
        Assert.Equal("Memory pressure is critical (98% of the budget); shedding 100% of non-core requests.", (await ReadinessAsync(app)).Description);
    }

    [Theory]
    [InlineData(PressureLevel.Critical, PressureLevel.Critical, 1, "enforcing would shed 100% of non-core requests and report Unhealthy.")]
    [InlineData(PressureLevel.Critical, PressureLevel.High, 0.4, "enforcing would shed 40% of non-core requests and report Degraded.")]
    [InlineData(PressureLevel.High, PressureLevel.High, 0.4, "enforcing would shed 40% of non-core requests and report Unhealthy.")]
    [InlineData(null, PressureLevel.Critical, 1, "enforcing would shed 100% of non-core requests and report Degraded.")]
    [InlineData(PressureLevel.Critical, PressureLevel.Elevated, 0, "enforcing would report Degraded.")]
    public async Task ReadinessCheck_ShadowMode_DegradedSayingWhatEnforcingWouldReport(PressureLevel? unreadyAt, PressureLevel level, double wouldShed, string expected)
    {
        await using var app = await TestApp.StartAsync(WithUnreadyAt(unreadyAt, MemoryContractMode.Shadow), MapProbes);
        app.Services.Publish(level, usagePercent: 93, shedFraction: 0, wouldShedFraction: wouldShed);

        var entry = await ReadinessAsync(app);

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.StartsWith("Shadow mode: memory pressure is ", entry.Description, StringComparison.Ordinal);
        Assert.EndsWith(expected, entry.Description, StringComparison.Ordinal);
        Assert.Equal(0.0, entry.Data["shed_fraction"]);
        Assert.Equal(wouldShed, entry.Data["would_shed_fraction"]);
    }

    [Fact]
    public async Task ReadinessCheck_ShadowModeAtNormal_Healthy()
    {
        await using var app = await TestApp.StartAsync(TestApp.Contract(MemoryContractMode.Shadow), MapProbes);
        app.Services.Publish(PressureLevel.Normal);

        Assert.Equal(HealthStatus.Healthy, (await ReadinessAsync(app)).Status);
    }

    [Fact]
    public async Task Readiness_ShadowModeAtCritical_DegradedNot503()
    {
        await using var app = await TestApp.StartAsync(TestApp.Contract(MemoryContractMode.Shadow), MapProbes);
        var client = app.GetTestClient();
        app.Services.Publish(PressureLevel.Critical, usagePercent: 98);

        var report = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(c => c.Name == "memory_contracts");

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/health/ready"));
        Assert.Equal(HealthStatus.Degraded, report.Entries["memory_contracts"].Status);
        Assert.Contains("Shadow mode", report.Entries["memory_contracts"].Description, StringComparison.Ordinal);
        Assert.Equal("critical", report.Entries["memory_contracts"].Data["level"]);
    }

    [Theory]
    [InlineData(PressureLevel.Normal, 0, HealthStatus.Healthy)]
    [InlineData(PressureLevel.Elevated, 0, HealthStatus.Degraded)]
    [InlineData(PressureLevel.High, 0, HealthStatus.Degraded)]
    [InlineData(PressureLevel.High, 0.4, HealthStatus.Degraded)]
    [InlineData(PressureLevel.Critical, 0, HealthStatus.Unhealthy)]
    [InlineData(PressureLevel.Critical, 1, HealthStatus.Unhealthy)]
    public async Task ReadinessCheck_Level_MapsToStatusWithModuleData(PressureLevel level, double shedFraction, HealthStatus expected)
    {
        await using var app = await TestApp.StartAsync(TestApp.Contract(), MapProbes);
        app.Services.Publish(level, usagePercent: 81, shedFraction: shedFraction,
            modules: [new ModulePressure("catalog", level, 0.955, 0.5, 0.25), new ModulePressure("checkout", PressureLevel.Normal, 0.1, 0.2, 0.3)]);

        var report = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(c => c.Name == "memory_contracts");

        var entry = report.Entries["memory_contracts"];
        Assert.Equal(expected, entry.Status);
        Assert.Equal(81, entry.Data["usage_percent"]);
        Assert.Equal(MemoryContractsMetrics.LevelName(level), entry.Data["level"]);
        Assert.Equal(MemoryContractsMetrics.LevelName(level), entry.Data["catalog.level"]);
        Assert.Equal(0.955, entry.Data["catalog.heap_ratio"]);
        Assert.Equal(0.5, entry.Data["catalog.alloc_rate_ratio"]);
        Assert.Equal(0.25, entry.Data["catalog.gc_pause_ratio"]);
        Assert.Equal("normal", entry.Data["checkout.level"]);
        Assert.Contains("ready", entry.Tags);
    }

    [Fact]
    public async Task Liveness_GuardStopsSampling_200UntilTenIntervalsThen503_AndRecoversOnSample()
    {
        var time = new FakeTimeProvider();
        var sampler = new ScriptedSampler { Throw = new InvalidOperationException("stalled sampler") };
        await using var app = await TestApp.StartAsync(TestApp.Contract(), MapProbes, time: time, sampler: sampler);
        var client = app.GetTestClient();
        var monitor = app.Services.GetRequiredService<MemoryPressureMonitor>();
        var interval = TimeSpan.FromMilliseconds(500); // the contract's sampling interval

        monitor.RecordSample(time.GetUtcNow(), 0.5, 0);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/health/live"));

        time.Advance(interval * 9.8);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/health/live"));
        app.Services.Publish(PressureLevel.Critical, shedFraction: 1);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/health/live")); // pressure is not a liveness failure

        time.Advance(interval * 0.2);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusAsync(client, "/health/live"));

        monitor.RecordSample(time.GetUtcNow(), 0.5, 0);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/health/live"));
    }

    [Fact]
    public async Task Liveness_NeverSampled_CountsFromHostStart()
    {
        var time = new FakeTimeProvider();
        var sampler = new ScriptedSampler { Throw = new InvalidOperationException("stalled sampler") };
        await using var app = await TestApp.StartAsync(TestApp.Contract(), MapProbes, time: time, sampler: sampler);
        var monitor = app.Services.GetRequiredService<MemoryPressureMonitor>();
        var checks = app.Services.GetRequiredService<HealthCheckService>();

        // Nothing probed before this: the clock started with the host, not with the first probe.
        time.Advance(TimeSpan.FromSeconds(5));
        var report = await checks.CheckHealthAsync(c => c.Name == "memory_contracts_guard");

        var entry = report.Entries["memory_contracts_guard"];
        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        if (monitor.LastSampledAt is null)
        {
            Assert.Equal("never", entry.Data["last_sampled_at"]);
        }

        Assert.Contains("live", entry.Tags);
        Assert.Equal(5.0, entry.Data["stalled_after_seconds"]);
    }

    [Fact]
    public void AddMemoryContracts_CalledTwice_RegistersEachCheckOnce()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHealthChecks().AddMemoryContracts().AddMemoryContracts();
        services.AddMemoryContracts(o => o.Contract = TestApp.Contract());
        using var provider = services.BuildServiceProvider();

        var registrations = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<HealthCheckServiceOptions>>().Value.Registrations;

        Assert.Single(registrations, r => r.Name == "memory_contracts");
        Assert.Single(registrations, r => r.Name == "memory_contracts_guard");
    }
}
