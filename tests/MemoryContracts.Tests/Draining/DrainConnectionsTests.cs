using MemoryContracts.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts.Tests.Draining;

/// <summary>
/// When <c>drain_connections</c> is in force (DESIGN §11): at the levels that name it, in enforce mode,
/// decided by the published snapshot's plan, so stepping down, a reload and shadow end it at once.
/// </summary>
public sealed class DrainConnectionsTests
{
    private static MemoryContract Contract(MemoryContractMode mode = MemoryContractMode.Enforce, string version = "v1", string[]? high = null, string[]? critical = null) => new()
    {
        Version = version,
        Mode = mode,
        Modules = [new ModuleContract { Name = "app", MaxHeapBytes = 1000 * TestContracts.MB }],
        Responses = new ResponsePolicy { Elevated = [], High = high ?? [], Critical = critical ?? ["drain_connections"] },
    };

    private static void Reload(GuardFixture f, MemoryContract contract) =>
        f.Services.GetRequiredService<MemoryContractSource>().Replace(contract);

    [Fact]
    public void ResponsePolicy_Defaults_DoNotNameDrainConnections()
    {
        var responses = new ResponsePolicy();

        Assert.DoesNotContain("drain_connections", responses.Elevated.Concat(responses.High).Concat(responses.Critical));
        Assert.True(BuiltInResponders.IsBuiltIn("drain_connections"));
        Assert.False(BuiltInResponders.LeavesNothingToUndo("drain_connections"));
    }

    [Fact]
    public void Parse_DrainConnectionsInResponses_Accepted()
    {
        var contract = MemoryContract.Parse("""
            modules:
              - name: app
            responses:
              high: [alert, drain_connections]
              critical: [alert, shed_requests, drain_connections]
            """);

        Assert.Contains("drain_connections", contract.Responses.High);
        Assert.Contains("drain_connections", contract.Responses.Critical);
    }

    [Theory]
    [InlineData(MemoryContractMode.Enforce, new[] { false, false, false, true })]
    [InlineData(MemoryContractMode.Shadow, new[] { false, false, false, false })]
    public void ContractPlan_DrainsAt_FollowsTheLevelsThatNameItAndTheMode(MemoryContractMode mode, bool[] expected)
    {
        var plan = new ContractPlan(Contract(mode));

        Assert.Equal(expected, plan.DrainsAt);
    }

    [Fact]
    public async Task TickAsync_CriticalThenSteppingDown_InForceOnlyAtCritical()
    {
        await using var f = GuardFixture.Create(Contract());
        await f.TicksAsync(920, 2);
        Assert.Equal(PressureLevel.High, f.Current.Level);
        Assert.False(f.Current.DrainsConnections);

        await f.TicksAsync(970, 3);
        Assert.Equal(PressureLevel.Critical, f.Current.Level);
        Assert.True(f.Current.DrainsConnections);
        Assert.Single(f.Logs.WithEvent(270));

        await f.TicksAsync(920, 5);
        Assert.Equal(PressureLevel.High, f.Current.Level);
        Assert.False(f.Current.DrainsConnections);
        Assert.Single(f.Logs.WithEvent(271));
    }

    [Fact]
    public async Task TickAsync_NamedAtHighAndCritical_InForceAtBoth()
    {
        await using var f = GuardFixture.Create(Contract(high: ["drain_connections"]));

        await f.TicksAsync(920, 2);
        Assert.True(f.Current.DrainsConnections);
        await f.TicksAsync(970, 3);
        Assert.True(f.Current.DrainsConnections);
        Assert.Single(f.Logs.WithEvent(270));
    }

    [Fact]
    public async Task TickAsync_ReloadToShadowAtCritical_EndsDraining()
    {
        await using var f = GuardFixture.Create(Contract());
        await f.TicksAsync(970, 3);
        Assert.True(f.Current.DrainsConnections);

        Reload(f, Contract(MemoryContractMode.Shadow, version: "v2"));
        await f.TickAsync(970);

        Assert.Equal(PressureLevel.Critical, f.Current.Level);
        Assert.False(f.Current.DrainsConnections);
        Assert.Single(f.Logs.WithEvent(271));
    }

    [Fact]
    public async Task TickAsync_ReloadNoLongerNamingIt_EndsDraining()
    {
        await using var f = GuardFixture.Create(Contract());
        await f.TicksAsync(970, 3);

        Reload(f, Contract(version: "v2", critical: ["alert"]));
        await f.TickAsync(970);

        Assert.Equal(PressureLevel.Critical, f.Current.Level);
        Assert.False(f.Current.DrainsConnections);
        Assert.Single(f.Logs.WithEvent(271));
    }

    [Theory]
    [InlineData("HTTP/1.1", "close")]
    [InlineData("HTTP/1.0", "close")]
    [InlineData("HTTP/2", "")]
    public void Request_ByProtocol_ClosesHttp1WithTheHeaderOthersThroughTheConnectionFeature(string protocol, string connectionHeader)
    {
        var context = new DefaultHttpContext();
        context.Request.Protocol = protocol;
        var lifetime = new RecordingLifetimeFeature();
        context.Features.Set<Microsoft.AspNetCore.Connections.Features.IConnectionLifetimeNotificationFeature>(lifetime);

        ConnectionDrain.Request(context);

        Assert.Equal(connectionHeader, context.Response.Headers.Connection.ToString());
        Assert.Equal(connectionHeader.Length == 0 ? 1 : 0, lifetime.CloseRequests);
    }

    private sealed class RecordingLifetimeFeature : Microsoft.AspNetCore.Connections.Features.IConnectionLifetimeNotificationFeature
    {
        public int CloseRequests { get; private set; }

        public CancellationToken ConnectionClosedRequested { get; set; }

        public void RequestClose() => CloseRequests++;
    }
}
