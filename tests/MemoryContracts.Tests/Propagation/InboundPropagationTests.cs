using System.Net;
using MemoryContracts.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace MemoryContracts.Tests.Propagation;

public class InboundPropagationTests
{
    private static DefaultHttpContext Request(string? remote, params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = remote is null ? null : IPAddress.Parse(remote);
        foreach (var (name, value) in headers)
        {
            context.Request.Headers.Append(name, value);
        }

        return context;
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::1")]
    [InlineData("10.9.8.7")]
    public void OnRequest_TrustedCaller_ReadsHeadersAndWritesOurs(string remote)
    {
        using var sp = PropagationTestServices.Build();
        var snapshot = sp.Publish(PressureLevel.Elevated, usagePercent: 68, capacityBytes: 2048L * 1024 * 1024, contractVersion: "v7.3");
        var context = Request(remote, ("X-Memory-Usage", "91%"), ("X-Memory-Contract", "v1.0"));

        var caller = sp.GetRequiredService<InboundPropagation>().OnRequest(context, snapshot);

        Assert.Equal(new CallerPressure(91, "v1.0", BypassCacheWrites: true), caller);
        var response = context.Response.Headers;
        Assert.Equal("68%", response["X-Memory-Usage"]);
        Assert.Equal("2048", response["X-Memory-Capacity"]);
        Assert.Equal("v7.3", response["X-Memory-Contract"]);
        Assert.Equal("TEXT application_utilization=0.68, cpu_utilization=0, mem_utilization=0.68, rps_fractional=0, eps=0", response["endpoint-load-metrics"]);
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData(null)]
    public void OnRequest_UntrustedOrUnknownCaller_ReadsAndWritesNothing(string? remote)
    {
        using var sp = PropagationTestServices.Build();
        var snapshot = sp.Publish(PressureLevel.Normal, usagePercent: 40);
        var context = Request(remote, ("X-Memory-Usage", "99%"), ("X-Memory-Contract", "v1.0"));

        var caller = sp.GetRequiredService<InboundPropagation>().OnRequest(context, snapshot);

        Assert.True(caller.IsEmpty);
        Assert.False(caller.BypassCacheWrites);
        Assert.Empty(context.Response.Headers);
    }

    [Theory]
    [InlineData("X-Forwarded-For", "203.0.113.7")]
    [InlineData("X-Forwarded-For", "10.1.1.1, 203.0.113.7")]
    [InlineData("X-Forwarded-For", "unknown")]
    [InlineData("Forwarded", "for=203.0.113.7;proto=https")]
    [InlineData("Forwarded", "for=\"[2001:db8::1]:443\"")]
    [InlineData("Forwarded", "for=_hidden")]
    public void OnRequest_TrustedProxyRelayingForAnOutsider_ReadsAndWritesNothing(string header, string value)
    {
        using var sp = PropagationTestServices.Build();
        var snapshot = sp.Publish(PressureLevel.Normal, usagePercent: 40);
        var context = Request("10.0.0.1", (header, value), ("X-Memory-Usage", "99%"), ("X-Memory-Contract", "v1.0"));

        var caller = sp.GetRequiredService<InboundPropagation>().OnRequest(context, snapshot);

        Assert.True(caller.IsEmpty);
        Assert.False(caller.BypassCacheWrites);
        Assert.Empty(context.Response.Headers);
    }

    [Fact]
    public void OnRequest_RelayedForOutsiders_LoggedOnceNamingTheProxyNotTheClient()
    {
        using var sp = PropagationTestServices.Build(configure: s => s.AddFakeLogging());
        var snapshot = sp.Publish(PressureLevel.Normal, usagePercent: 40);
        var inbound = sp.GetRequiredService<InboundPropagation>();

        inbound.OnRequest(Request("10.0.0.1", ("X-Forwarded-For", "203.0.113.7")), snapshot);
        inbound.OnRequest(Request("10.0.0.2", ("Forwarded", "for=198.51.100.1")), snapshot);
        inbound.OnRequest(Request("8.8.8.8", ("X-Forwarded-For", "203.0.113.7")), snapshot);

        var logged = Assert.Single(sp.GetFakeLogCollector().GetSnapshot(), r => r.Id.Id == 430);
        Assert.Equal(LogLevel.Information, logged.Level);
        Assert.Contains("10.0.0.1", logged.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("203.0.113.7", logged.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("X-Forwarded-For", "10.1.1.1")]
    [InlineData("X-Forwarded-For", "10.1.1.1:51234, 127.0.0.1")]
    [InlineData("Forwarded", "for=10.1.1.1;proto=http, for=\"[::1]:8080\"")]
    public void OnRequest_SidecarChainInsideTrustedNetworks_ReadsHeadersAndWritesOurs(string header, string value)
    {
        using var sp = PropagationTestServices.Build();
        var snapshot = sp.Publish(PressureLevel.Normal, usagePercent: 40);
        var context = Request("127.0.0.1", (header, value), ("X-Memory-Usage", "91%"));

        var caller = sp.GetRequiredService<InboundPropagation>().OnRequest(context, snapshot);

        Assert.Equal(91, caller.UsagePercent);
        Assert.Equal("40%", context.Response.Headers["X-Memory-Usage"]);
        Assert.StartsWith("TEXT application_utilization=0.4,", context.Response.Headers["endpoint-load-metrics"].ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("X-Forwarded-For", "10.1.1.1:")]
    [InlineData("X-Forwarded-For", "[fd00::1")]
    [InlineData("Forwarded", "for=\"10.1.1.1")]
    [InlineData("Forwarded", "for")]
    public void OnRequest_MalformedForwardingHeader_TreatedAsUntrusted(string header, string value)
    {
        using var sp = PropagationTestServices.Build();
        var snapshot = sp.Publish(PressureLevel.Normal, usagePercent: 40);
        var context = Request("127.0.0.1", (header, value), ("X-Memory-Usage", "99%"));

        var caller = sp.GetRequiredService<InboundPropagation>().OnRequest(context, snapshot);

        Assert.True(caller.IsEmpty);
        Assert.Empty(context.Response.Headers);
    }

    [Fact]
    public void OnRequest_OrcaOffAndResponseHeadersOff_WritesNeither()
    {
        using var sp = PropagationTestServices.Build(PropagationTestContracts.With(new PropagationPolicy { Orca = false, ResponseHeaders = false }));
        var snapshot = sp.Publish(PressureLevel.Normal, usagePercent: 40);
        var context = Request("127.0.0.1");

        sp.GetRequiredService<InboundPropagation>().OnRequest(context, snapshot);

        Assert.Empty(context.Response.Headers);
    }

    [Fact]
    public void OnRequest_OrcaOnly_WritesOnlyOrca()
    {
        using var sp = PropagationTestServices.Build(PropagationTestContracts.With(new PropagationPolicy { ResponseHeaders = false }));
        var snapshot = sp.Publish(PressureLevel.Normal, usagePercent: 140);
        var context = Request("127.0.0.1");

        sp.GetRequiredService<InboundPropagation>().OnRequest(context, snapshot);

        Assert.Equal("TEXT application_utilization=1.4, cpu_utilization=0, mem_utilization=1, rps_fractional=0, eps=0", Assert.Single(context.Response.Headers).Value);
    }

    [Fact]
    public void OnRequest_BeforeFirstSample_WritesNoResponseHeaders()
    {
        using var sp = PropagationTestServices.Build();
        var context = Request("127.0.0.1");

        sp.GetRequiredService<InboundPropagation>().OnRequest(context, MemoryPressureSnapshot.Initial);

        Assert.Empty(context.Response.Headers);
    }

    [Theory]
    [InlineData(80, false)]
    [InlineData(81, true)]
    public void OnRequest_UsageAroundThreshold_BypassesOnlyAbove(int usage, bool expected)
    {
        using var sp = PropagationTestServices.Build();
        var snapshot = sp.Publish(PressureLevel.Normal);
        var context = Request("127.0.0.1", ("X-Memory-Usage", usage + "%"));

        var caller = sp.GetRequiredService<InboundPropagation>().OnRequest(context, snapshot);

        Assert.Equal(usage, caller.UsagePercent);
        Assert.Equal(expected, caller.BypassCacheWrites);
    }

    [Fact]
    public void OnRequest_Bypass_ReportsItWithoutTouchingTheFlow()
    {
        using var sp = PropagationTestServices.Build();
        var inbound = sp.GetRequiredService<InboundPropagation>();
        var snapshot = sp.Publish(PressureLevel.Normal);

        var caller = inbound.OnRequest(Request("127.0.0.1", ("X-Memory-Usage", "95%")), snapshot);

        Assert.True(caller.BypassCacheWrites);
        Assert.False(CallerCacheBypass.IsActive);
    }

    [Fact]
    public void OnRequest_ShadowMode_ReportsUsageButDoesNotBypass()
    {
        using var sp = PropagationTestServices.Build(PropagationTestContracts.With(mode: MemoryContractMode.Shadow));
        var snapshot = sp.Publish(PressureLevel.Normal);

        var caller = sp.GetRequiredService<InboundPropagation>().OnRequest(Request("127.0.0.1", ("X-Memory-Usage", "99%")), snapshot);

        Assert.Equal(99, caller.UsagePercent);
        Assert.False(caller.BypassCacheWrites);
    }

    [Theory]
    [InlineData("X-Memory-Usage", "abc")]
    [InlineData("X-Memory-Usage", "-5%")]
    [InlineData("X-Memory-Usage", "%")]
    [InlineData("X-Memory-Usage", "12%%")]
    [InlineData("X-Memory-Usage", "99999999999999999999")]
    [InlineData("X-Memory-Contract", "v1\u0007")]
    public void OnRequest_MalformedValue_IgnoredAndCounted(string header, string value)
    {
        using var sp = PropagationTestServices.Build();
        using var malformed = MetricCollection.Counter(sp, MemoryContractsMetricNames.HeadersMalformed);
        var snapshot = sp.Publish(PressureLevel.Normal);

        var caller = sp.GetRequiredService<InboundPropagation>().OnRequest(Request("127.0.0.1", (header, value)), snapshot);

        Assert.True(caller.IsEmpty);
        Assert.False(caller.BypassCacheWrites);
        Assert.Equal(1, malformed.Sum(MemoryContractsMetricNames.HeaderTag, header));
    }

    [Fact]
    public void OnRequest_RepeatedUsageHeader_IgnoredAndCounted()
    {
        using var sp = PropagationTestServices.Build();
        using var malformed = MetricCollection.Counter(sp, MemoryContractsMetricNames.HeadersMalformed);
        var snapshot = sp.Publish(PressureLevel.Normal);

        var caller = sp.GetRequiredService<InboundPropagation>().OnRequest(Request("127.0.0.1", ("X-Memory-Usage", "90%"), ("X-Memory-Usage", "95%")), snapshot);

        Assert.Null(caller.UsagePercent);
        Assert.Equal(1, malformed.Sum(MemoryContractsMetricNames.HeaderTag, "X-Memory-Usage"));
    }

    [Fact]
    public void OnRequest_ContractChanged_UsesNewTrustedNetworks()
    {
        using var sp = PropagationTestServices.Build();
        var snapshot = sp.Publish(PressureLevel.Normal);
        var inbound = sp.GetRequiredService<InboundPropagation>();
        Assert.False(inbound.OnRequest(Request("127.0.0.1", ("X-Memory-Usage", "90%")), snapshot).IsEmpty);

        _ = sp.GetRequiredService<MemoryGuard>();
        sp.GetRequiredService<MemoryContractSource>().Replace(PropagationTestContracts.With(PropagationTestContracts.LoopbackUntrusted));

        // The guard publishes the new plan at once; a request takes its policy from the snapshot it read.
        var reloaded = sp.GetRequiredService<IMemoryPressure>().Current;
        Assert.NotSame(snapshot.Plan, reloaded.Plan);
        Assert.False(inbound.OnRequest(Request("127.0.0.1", ("X-Memory-Usage", "90%")), snapshot).IsEmpty);
        Assert.True(inbound.OnRequest(Request("127.0.0.1", ("X-Memory-Usage", "90%")), reloaded).IsEmpty);
        Assert.False(inbound.OnRequest(Request("10.0.0.5", ("X-Memory-Usage", "90%")), reloaded).IsEmpty);
    }

    [Fact]
    public void OnRequest_ReloadWithBadNetwork_KeepsLastGoodPolicy()
    {
        using var sp = PropagationTestServices.Build();
        var snapshot = sp.Publish(PressureLevel.Normal);
        var inbound = sp.GetRequiredService<InboundPropagation>();

        sp.GetRequiredService<MemoryContractSource>().Replace(PropagationTestContracts.With(new PropagationPolicy { TrustedNetworks = ["nope"] }));

        Assert.Equal(90, inbound.OnRequest(Request("127.0.0.1", ("X-Memory-Usage", "90%")), snapshot).UsagePercent);
    }
}
