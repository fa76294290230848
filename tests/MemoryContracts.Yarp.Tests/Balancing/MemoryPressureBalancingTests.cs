using MemoryContracts.Yarp.Tests.Infrastructure;
using Xunit.Abstractions;

namespace MemoryContracts.Yarp.Tests.Balancing;

/// <summary>A real gateway in front of two real backends that report different usage.</summary>
public sealed class MemoryPressureBalancingTests(ITestOutputHelper output)
{
    private const int Requests = 200;

    [Fact]
    public async Task PickDestination_BackendsReport90And10PercentUsage_MostRequestsGoToThe10PercentOne()
    {
        await using var busy = await ScriptedBackend.StartAsync("busy", ScriptedBackend.ReportsUsage(90));
        await using var idle = await ScriptedBackend.StartAsync("idle", ScriptedBackend.ReportsUsage(10));
        await using var gateway = await TestGateway.StartAsync([busy, idle]);

        var statuses = await gateway.GetManyAsync(Requests);

        output.WriteLine($"X-Memory-Usage 90% vs 10%: {busy.Hits} vs {idle.Hits} of {Requests}");
        Assert.All(statuses, s => Assert.Equal(200, s));
        Assert.True(idle.Hits >= Requests * 0.95, $"the 10% backend got {idle.Hits} of {Requests}");
        Assert.True(busy.Hits <= 5, $"the 90% backend got {busy.Hits} of {Requests}");
    }

    [Fact]
    public async Task PickDestination_BackendsReportOrcaUtilization_MostRequestsGoToTheLessUtilizedOne()
    {
        await using var busy = await ScriptedBackend.StartAsync("busy", ScriptedBackend.ReportsOrca(0.9));
        await using var idle = await ScriptedBackend.StartAsync("idle", ScriptedBackend.ReportsOrca(0.1));
        await using var gateway = await TestGateway.StartAsync([busy, idle]);

        await gateway.GetManyAsync(Requests);

        output.WriteLine($"ORCA application_utilization 0.9 vs 0.1: {busy.Hits} vs {idle.Hits} of {Requests}");
        Assert.True(idle.Hits >= Requests * 0.95, $"the 0.1 backend got {idle.Hits} of {Requests}");
    }

    [Fact]
    public async Task PickDestination_NeitherBackendReports_TrafficIsShared()
    {
        await using var a = await ScriptedBackend.StartAsync("a");
        await using var b = await ScriptedBackend.StartAsync("b");
        await using var gateway = await TestGateway.StartAsync([a, b]);

        await gateway.GetManyAsync(Requests);

        output.WriteLine($"no reports: {a.Hits} vs {b.Hits} of {Requests}");
        Assert.InRange(a.Hits, Requests / 4, Requests * 3 / 4);
    }

    [Fact]
    public async Task PickDestination_ReportOfTheAvoidedBackendFades_ItIsTriedAgain()
    {
        await using var busy = await ScriptedBackend.StartAsync("busy", ScriptedBackend.ReportsUsage(90));
        await using var idle = await ScriptedBackend.StartAsync("idle", ScriptedBackend.ReportsUsage(10));
        await using var gateway = await TestGateway.StartAsync([busy, idle]);
        while (busy.Hits == 0 || idle.Hits == 0)
        {
            await gateway.GetManyAsync(1);
        }

        var busyBefore = busy.Hits;
        await gateway.GetManyAsync(50);
        Assert.Equal(busyBefore, busy.Hits);

        // Ten half-lives (3 s each by default): 90% now counts as 0.09%, a tie with the idle one.
        gateway.Time.Advance(TimeSpan.FromSeconds(30));
        await gateway.GetManyAsync(20);

        output.WriteLine($"after fading, the 90% backend got {busy.Hits - busyBefore} of 20");
        Assert.True(busy.Hits > busyBefore, "the faded backend was never tried again");
    }
}
