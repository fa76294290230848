using System.Net;
using MemoryContracts.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts.Tests.Propagation;

public class MemoryContractHeadersHandlerTests
{
    private sealed class Fixture : IDisposable
    {
        public Fixture(MemoryContract? contract = null)
        {
            Services = PropagationTestServices.Build(contract, Time);
            Inner = new StubInnerHandler();
            var handler = MemoryContractHeadersHandler.Create(Services);
            handler.InnerHandler = Inner;
            Invoker = new HttpMessageInvoker(handler);
            Services.Publish(PressureLevel.Elevated, usagePercent: 68, capacityBytes: 2048L * 1024 * 1024, contractVersion: "v7.3");
        }

        public TimerCountingTimeProvider Time { get; } = new();

        public ServiceProvider Services { get; }

        public StubInnerHandler Inner { get; }

        public HttpMessageInvoker Invoker { get; }

        public DownstreamThrottle Throttle => Services.GetRequiredService<DownstreamThrottle>();

        public Task<HttpResponseMessage> GetAsync(string uri) => Invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, uri), CancellationToken.None);

        public void Dispose()
        {
            Invoker.Dispose();
            Services.Dispose();
        }
    }

    [Theory]
    [InlineData("http://inventory/items")]
    [InlineData("http://localhost:5000/")]
    [InlineData("http://127.0.0.1:8080/")]
    [InlineData("http://10.1.2.3/")]
    [InlineData("http://[::1]:8080/")]
    [InlineData("http://[fd00::1]/")]
    [InlineData("https://orders.internal/")]
    [InlineData("http://a.b.svc.cluster.local/")]
    public async Task SendAsync_AllowedHost_SendsCachedHeaders(string uri)
    {
        using var f = new Fixture();

        await f.GetAsync(uri);

        Assert.Equal("68%", f.Inner.LastMemoryHeaders["X-Memory-Usage"]);
        Assert.Equal("2048", f.Inner.LastMemoryHeaders["X-Memory-Capacity"]);
        Assert.Equal("v7.3", f.Inner.LastMemoryHeaders["X-Memory-Contract"]);
    }

    [Theory]
    [InlineData("https://api.example.com/")]
    [InlineData("http://8.8.8.8/")]
    [InlineData("http://[2001:4860:4860::8888]/")]
    [InlineData("http://evil.internal.example.com/")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://2852039166/latest/meta-data")]
    [InlineData("http://[fd00:ec2::254]/latest/meta-data")]
    [InlineData("http://[fd00:ec2:0::254]/latest/meta-data")]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/")]
    [InlineData("http://METADATA.google.internal./computeMetadata/v1/")]
    [InlineData("http://metadata/computeMetadata/v1/")]
    [InlineData("http://metadata.azure.com/metadata/instance")]
    public async Task SendAsync_OtherHost_SendsNothing(string uri)
    {
        using var f = new Fixture();

        await f.GetAsync(uri);

        Assert.Equal(1, f.Inner.Calls);
        Assert.Empty(f.Inner.LastMemoryHeaders);
    }

    [Fact]
    public async Task SendAsync_HostDecisionCached_StillRightWhenHostAlternates()
    {
        using var f = new Fixture();
        foreach (var uri in new[] { "http://inventory/", "http://inventory/", "https://api.example.com/", "http://inventory/", "https://api.example.com/" })
        {
            await f.GetAsync(uri);
            Assert.Equal(uri.Contains("inventory", StringComparison.Ordinal), f.Inner.LastMemoryHeaders.Count == 3);
        }
    }

    [Fact]
    public async Task SendAsync_OutboundOff_SendsNothingAndTracksNothing()
    {
        using var f = new Fixture(PropagationTestContracts.With(new PropagationPolicy { Outbound = false }));
        f.Inner.Respond = _ => StubInnerHandler.Pressured(HttpStatusCode.TooManyRequests, "99%", "2");

        await f.GetAsync("http://inventory/");
        await f.GetAsync("http://inventory/");

        Assert.Empty(f.Inner.LastMemoryHeaders);
        Assert.Equal(2, f.Inner.Calls);
        Assert.Equal(0, f.Throttle.Count);
    }

    [Fact]
    public async Task SendAsync_ContractChangesOutboundHosts_NewDecision()
    {
        using var f = new Fixture();
        await f.GetAsync("http://orders.internal/");
        Assert.Equal(3, f.Inner.LastMemoryHeaders.Count);

        _ = f.Services.GetRequiredService<MemoryGuard>();
        f.Services.GetRequiredService<MemoryContractSource>().Replace(PropagationTestContracts.With(new PropagationPolicy { OutboundHosts = ["*.corp"] }));

        await f.GetAsync("http://orders.internal/");
        Assert.Empty(f.Inner.LastMemoryHeaders);
        await f.GetAsync("http://orders.corp/");
        Assert.Equal(3, f.Inner.LastMemoryHeaders.Count);
    }

    [Fact]
    public async Task SendAsync_RequestAlreadyCarriesHeaders_OursReplaceThem()
    {
        using var f = new Fixture();
        var request = new HttpRequestMessage(HttpMethod.Get, "http://inventory/");
        request.Headers.TryAddWithoutValidation("X-Memory-Usage", "5%");
        request.Headers.TryAddWithoutValidation("X-Request-Id", "abc");

        await f.Invoker.SendAsync(request, CancellationToken.None);

        Assert.Equal("68%", f.Inner.LastMemoryHeaders["X-Memory-Usage"]);
        Assert.Equal("abc", request.Headers.GetValues("X-Request-Id").Single());
    }

    [Fact]
    public async Task SendAsync_BeforeFirstSample_SendsNoHeaders()
    {
        using var f = new Fixture();
        f.Services.GetRequiredService<MemoryPressureMonitor>().Publish(MemoryPressureSnapshot.Initial);

        await f.GetAsync("http://inventory/");

        Assert.Empty(f.Inner.LastMemoryHeaders);
    }

    [Fact]
    public async Task SendAsync_MalformedDownstreamUsage_Counted()
    {
        using var f = new Fixture();
        using var malformed = MetricCollection.Counter(f.Services, MemoryContractsMetricNames.HeadersMalformed);
        f.Inner.Respond = _ => StubInnerHandler.Pressured(HttpStatusCode.OK, "12%%");

        await f.GetAsync("http://inventory/");

        Assert.Equal(1, malformed.Sum(MemoryContractsMetricNames.HeaderTag, "X-Memory-Usage"));
    }
}
