using System.Net;
using MemoryContracts.Tests.Infrastructure;
using MemoryContracts.Tests.Propagation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts.Tests.LoadReporting;

/// <summary>
/// What an Envoy <c>client_side_weighted_round_robin</c> or gRPC <c>weighted_round_robin</c> balancer
/// makes of our ORCA reports: two real Kestrel instances, one calm and one pressured (shedding half of
/// its non-core requests), get the same second of traffic; the weights are computed from the
/// <c>endpoint-load-metrics</c> headers they answer with, by A58's formula.
/// </summary>
public sealed class WeightedRoundRobinTests
{
    private const double Penalty = 1.0;
    private const int RequestsEach = 40;

    /// <summary>
    /// The guard samples once at start and then only every minute of the fake clock, so the snapshots the
    /// test publishes stay in force; the test closes the load window itself (the guard's tick calls the
    /// same <see cref="LoadWindow.Observe"/>, <c>GuardLoadWindowTests</c>).
    /// </summary>
    private static MemoryContract Contract() => new()
    {
        Version = "v7.3",
        SamplingInterval = TimeSpan.FromSeconds(60),
        Modules =
        [
            new ModuleContract { Name = "catalog", Routes = ["/catalog"] },
            new ModuleContract { Name = "checkout", Core = true, Routes = ["/checkout"] },
        ],
    };

    private static async Task<(KestrelTestService Service, ScriptedCpuClock Cpu)> StartAsync()
    {
        var cpu = new ScriptedCpuClock(cores: 2);
        var service = await KestrelTestService.StartAsync(
            Contract(),
            services => services.AddSingleton<IProcessCpuClock>(cpu),
            app =>
            {
                app.MapGet("/catalog", () => Results.Text("items"));
                app.MapGet("/checkout", () => Results.Text("paid"));
            });
        return (service, cpu);
    }

    /// <summary>One second on the instance's clock, with <paramref name="cpu"/> of processor time used in it, then the window closes.</summary>
    private static void OneSecond(KestrelTestService service, ScriptedCpuClock clock, TimeSpan cpu)
    {
        clock.Use(cpu);
        service.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(service.Services.GetRequiredService<LoadWindow>().Observe());
    }

    private static async Task<OrcaReport> ReportAsync(HttpClient http, KestrelTestService service)
    {
        using var response = await http.GetAsync(new Uri(service.BaseAddress, "/checkout"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return OrcaReport.Parse(Assert.Single(response.Headers.GetValues("endpoint-load-metrics")));
    }

    [Fact]
    public async Task Weights_CalmAndPressuredInstance_PressuredGetsLess()
    {
        var (calm, calmCpu) = await StartAsync();
        await using var calmService = calm;
        var (pressured, pressuredCpu) = await StartAsync();
        await using var pressuredService = pressured;
        calm.Services.Publish(PressureLevel.Normal, usagePercent: 30, contractVersion: "v7.3");
        pressured.Services.Publish(PressureLevel.Critical, usagePercent: 95, shedFraction: 0.5, contractVersion: "v7.3");

        // A balancer without weights yet sends both the same traffic.
        using var http = new HttpClient();
        var shed = 0;
        for (var i = 0; i < RequestsEach; i++)
        {
            using var toCalm = await http.GetAsync(new Uri(calm.BaseAddress, "/catalog"));
            Assert.Equal(HttpStatusCode.OK, toCalm.StatusCode);
            using var toPressured = await http.GetAsync(new Uri(pressured.BaseAddress, "/catalog"));
            shed += toPressured.StatusCode == HttpStatusCode.TooManyRequests ? 1 : 0;
        }

        OneSecond(calm, calmCpu, TimeSpan.FromMilliseconds(200));
        OneSecond(pressured, pressuredCpu, TimeSpan.FromMilliseconds(200));
        var calmReport = await ReportAsync(http, calm);
        var pressuredReport = await ReportAsync(http, pressured);

        Assert.Equal(RequestsEach / 2, shed);
        Assert.Equal(new OrcaReport(0.3, 0.1, 0.3, RequestsEach, 0), calmReport);
        Assert.Equal(new OrcaReport(0.95, 0.1, 0.95, RequestsEach, shed), pressuredReport);

        // qps / (utilization + eps / qps × penalty): 40 / 0.3 against 40 / (0.95 + 0.5).
        var calmWeight = calmReport.Weight(Penalty);
        var pressuredWeight = pressuredReport.Weight(Penalty);
        Assert.Equal(40 / 0.3, calmWeight, 6);
        Assert.Equal(40 / 1.45, pressuredWeight, 6);
        Assert.True(pressuredWeight < calmWeight / 4, $"pressured {pressuredWeight:0.0} vs calm {calmWeight:0.0}");

        // Its share of the traffic a weighted round robin sends: about 17% instead of 50%.
        Assert.InRange(pressuredWeight / (calmWeight + pressuredWeight), 0.16, 0.18);
    }

    [Fact]
    public async Task Weights_SameMemoryButOneCpuBound_CpuBoundGetsLess()
    {
        var (idle, idleCpu) = await StartAsync();
        await using var idleService = idle;
        var (busy, busyCpu) = await StartAsync();
        await using var busyService = busy;
        idle.Services.Publish(PressureLevel.Normal, usagePercent: 30, contractVersion: "v7.3");
        busy.Services.Publish(PressureLevel.Normal, usagePercent: 30, contractVersion: "v7.3");

        using var http = new HttpClient();
        for (var i = 0; i < 10; i++)
        {
            using var a = await http.GetAsync(new Uri(idle.BaseAddress, "/catalog"));
            using var b = await http.GetAsync(new Uri(busy.BaseAddress, "/catalog"));
        }

        OneSecond(idle, idleCpu, TimeSpan.FromMilliseconds(200));
        OneSecond(busy, busyCpu, TimeSpan.FromMilliseconds(1800));
        var idleReport = await ReportAsync(http, idle);
        var busyReport = await ReportAsync(http, busy);

        Assert.Equal(0.3, idleReport.ApplicationUtilization);
        Assert.Equal(0.9, busyReport.ApplicationUtilization);
        Assert.Equal(0.9, busyReport.CpuUtilization);
        Assert.True(busyReport.Weight(Penalty) < idleReport.Weight(Penalty) / 2);
    }
}
