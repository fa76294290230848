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

    [Fact]
    public async Task Readiness_HighWhileShedding_503_HighWithoutShedding_200()
    {
        await using var app = await TestApp.StartAsync(TestApp.Contract(), MapProbes);
        var client = app.GetTestClient();

        app.Services.Publish(PressureLevel.High, usagePercent: 92);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/health/ready")); // Degraded answers 200
        app.Services.Publish(PressureLevel.High, usagePercent: 93, shedFraction: 0.2);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusAsync(client, "/health/ready"));
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
    [InlineData(PressureLevel.High, 0.4, HealthStatus.Unhealthy)]
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
