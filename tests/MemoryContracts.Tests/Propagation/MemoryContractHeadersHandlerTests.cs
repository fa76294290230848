using System.Net;
using MemoryContracts.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Polly.CircuitBreaker;

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

        public DownstreamBackoff Backoff => Services.GetRequiredService<DownstreamBackoff>();

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
    public async Task SendAsync_OutboundOff_SendsNothingAndNeverIsolates()
    {
        using var f = new Fixture(PropagationTestContracts.With(new PropagationPolicy { Outbound = false }));
        f.Inner.Respond = _ => StubInnerHandler.Pressured(HttpStatusCode.TooManyRequests, "99%", "2");

        await f.GetAsync("http://inventory/");
        await f.GetAsync("http://inventory/");

        Assert.Empty(f.Inner.LastMemoryHeaders);
        Assert.Equal(2, f.Inner.Calls);
        Assert.False(f.Backoff.AnyIsolated);
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
    public async Task SendAsync_SheddingDownstream_IsolatedForRetryAfterThenResumes()
    {
        using var f = new Fixture();
        using var isolations = MetricCollection.Counter(f.Services, MemoryContractsMetricNames.DownstreamIsolations);
        f.Inner.Respond = _ => StubInnerHandler.Pressured(HttpStatusCode.TooManyRequests, "99%", "2");

        var shed = await f.GetAsync("http://inventory:8080/");
        Assert.Equal(HttpStatusCode.TooManyRequests, shed.StatusCode);
        f.Inner.Respond = _ => new HttpResponseMessage(HttpStatusCode.OK);

        await Assert.ThrowsAsync<IsolatedCircuitException>(() => f.GetAsync("http://inventory:8080/again"));
        Assert.Equal(1, f.Inner.Calls);
        Assert.Equal(1, isolations.Sum(MemoryContractsMetricNames.AuthorityTag, "inventory:8080"));

        // Another authority (same host, other port) is unaffected.
        Assert.Equal(HttpStatusCode.OK, (await f.GetAsync("http://inventory:8081/")).StatusCode);

        f.Time.Advance(TimeSpan.FromSeconds(1.9));
        await Assert.ThrowsAsync<IsolatedCircuitException>(() => f.GetAsync("http://inventory:8080/"));

        f.Time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(HttpStatusCode.OK, (await f.GetAsync("http://inventory:8080/")).StatusCode);
        Assert.False(f.Backoff.AnyIsolated);
        Assert.Equal(0, f.Time.ActiveTimers);
    }

    [Fact]
    public async Task SendAsync_SyncSendToIsolatedDownstream_FailsFast()
    {
        using var f = new Fixture();
        f.Inner.Respond = _ => StubInnerHandler.Pressured(HttpStatusCode.ServiceUnavailable, "60%", "10");
        f.Invoker.Send(new HttpRequestMessage(HttpMethod.Get, "http://inventory/"), CancellationToken.None);

        Assert.Throws<IsolatedCircuitException>(() => f.Invoker.Send(new HttpRequestMessage(HttpMethod.Get, "http://inventory/"), CancellationToken.None));
        Assert.Equal(1, f.Inner.Calls);
    }

    [Theory]
    [InlineData(HttpStatusCode.OK, "96%", null, 5)]
    [InlineData(HttpStatusCode.OK, "99", "30", 30)]
    [InlineData(HttpStatusCode.TooManyRequests, "40%", "0", 1)]
    [InlineData(HttpStatusCode.ServiceUnavailable, "70%", "100000", 300)]
    public async Task SendAsync_PressuredResponse_IsolatesForClampedWindow(HttpStatusCode status, string usage, string? retryAfter, int expectedSeconds)
    {
        using var f = new Fixture();
        f.Inner.Respond = _ => StubInnerHandler.Pressured(status, usage, retryAfter);
        await f.GetAsync("http://inventory/");
        Assert.True(f.Backoff.IsIsolated("inventory:80"));

        f.Time.Advance(TimeSpan.FromSeconds(expectedSeconds) - TimeSpan.FromMilliseconds(1));
        Assert.True(f.Backoff.IsIsolated("inventory:80"));
        f.Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(f.Backoff.IsIsolated("inventory:80"));
    }

    [Fact]
    public async Task SendAsync_HttpDateRetryAfter_IsolatesUntilThatDate()
    {
        using var f = new Fixture();
        var date = f.Time.GetUtcNow().AddSeconds(20).ToString("r");
        f.Inner.Respond = _ => StubInnerHandler.Pressured(HttpStatusCode.TooManyRequests, "97%", date);
        await f.GetAsync("http://inventory/");

        f.Time.Advance(TimeSpan.FromSeconds(19));
        Assert.True(f.Backoff.IsIsolated("inventory:80"));
        f.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(f.Backoff.IsIsolated("inventory:80"));
    }

    [Theory]
    [InlineData(HttpStatusCode.OK, "95%", null)]
    [InlineData(HttpStatusCode.TooManyRequests, null, "2")]
    [InlineData(HttpStatusCode.TooManyRequests, "50%", null)]
    [InlineData(HttpStatusCode.InternalServerError, "50%", "2")]
    [InlineData(HttpStatusCode.TooManyRequests, "abc", "2")]
    public async Task SendAsync_NotPressured_NotIsolated(HttpStatusCode status, string? usage, string? retryAfter)
    {
        using var f = new Fixture();
        f.Inner.Respond = _ =>
        {
            var response = new HttpResponseMessage(status);
            if (usage is not null)
            {
                response.Headers.TryAddWithoutValidation("X-Memory-Usage", usage);
            }

            if (retryAfter is not null)
            {
                response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
            }

            return response;
        };

        await f.GetAsync("http://inventory/");
        await f.GetAsync("http://inventory/");

        Assert.Equal(2, f.Inner.Calls);
        Assert.False(f.Backoff.AnyIsolated);
    }

    [Fact]
    public async Task SendAsync_PublicHostReportsPressure_NotIsolated()
    {
        using var f = new Fixture();
        f.Inner.Respond = _ => StubInnerHandler.Pressured(HttpStatusCode.TooManyRequests, "99%", "60");

        await f.GetAsync("https://api.example.com/");
        await f.GetAsync("https://api.example.com/");

        Assert.Equal(2, f.Inner.Calls);
        Assert.False(f.Backoff.AnyIsolated);
    }

    [Fact]
    public async Task SendAsync_ShadowMode_DoesNotIsolate()
    {
        using var f = new Fixture(PropagationTestContracts.With(mode: MemoryContractMode.Shadow));
        f.Inner.Respond = _ => StubInnerHandler.Pressured(HttpStatusCode.TooManyRequests, "99%", "60");

        await f.GetAsync("http://inventory/");
        await f.GetAsync("http://inventory/");

        Assert.Equal(2, f.Inner.Calls);
        Assert.Equal(3, f.Inner.LastMemoryHeaders.Count);
    }

    [Fact]
    public async Task SendAsync_StillPressuredDuringWindow_ExtendsIt()
    {
        using var f = new Fixture();
        f.Backoff.Isolate("inventory:80", TimeSpan.FromSeconds(2), 429, 99);
        f.Backoff.Isolate("inventory:80", TimeSpan.FromSeconds(10), 429, 99);
        f.Backoff.Isolate("inventory:80", TimeSpan.FromSeconds(1), 429, 99);

        f.Time.Advance(TimeSpan.FromSeconds(9));
        await Assert.ThrowsAsync<IsolatedCircuitException>(() => f.GetAsync("http://inventory/"));
        f.Time.Advance(TimeSpan.FromSeconds(1));
        await f.GetAsync("http://inventory/");
        Assert.Equal(1, f.Inner.Calls);
    }

    [Fact]
    public void Isolate_BeyondCapacity_RefusesFurtherAuthorities()
    {
        using var f = new Fixture();
        for (var i = 0; i < DownstreamBackoff.MaxIsolated + 10; i++)
        {
            f.Backoff.Isolate($"host{i}:80", TimeSpan.FromSeconds(5), 429, 99);
        }

        Assert.Equal(DownstreamBackoff.MaxIsolated, f.Backoff.IsolatedCount);
        Assert.False(f.Backoff.IsIsolated($"host{DownstreamBackoff.MaxIsolated}:80"));

        f.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0, f.Backoff.IsolatedCount);
        Assert.Equal(0, f.Time.ActiveTimers);
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
