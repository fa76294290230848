using MemoryContracts.Tests.Infrastructure;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts.Tests.Propagation;

/// <summary>Two (or three) real Kestrel services on 127.0.0.1 talking through IHttpClientFactory clients.</summary>
public class TwoServicePropagationTests
{
    private const string PublicClient = "public";

    /// <summary>
    /// The caller: a <c>/forward?to=…&amp;client=…</c> route that calls another service through an
    /// <c>IHttpClientFactory</c> client, and a "public" client whose connections go to loopback
    /// whatever the host name, to play a public API.
    /// </summary>
    private static Task<KestrelTestService> StartCallerAsync(Action<IServiceCollection>? configure = null) =>
        KestrelTestService.StartAsync(
            PropagationTestContracts.With(),
            services =>
            {
                services.AddHttpClient(PublicClient).ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
                {
                    ConnectCallback = async (context, cancellationToken) =>
                    {
                        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                        await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, cancellationToken);
                        return new NetworkStream(socket, ownsSocket: true);
                    },
                });
                configure?.Invoke(services);
            },
            app => app.MapGet("/forward", async (string to, string? client, IHttpClientFactory clients) =>
                Results.Text(await clients.CreateClient(client ?? string.Empty).GetStringAsync(new Uri(to)))));

    /// <summary>A downstream with <c>/echo</c> and <c>/shed</c> (429, <c>Retry-After: 2</c>; the pipeline adds our headers).</summary>
    private static Task<KestrelTestService> StartDownstreamAsync(PropagationPolicy? policy = null) =>
        KestrelTestService.StartAsync(
            PropagationTestContracts.With(policy),
            mapRoutes: app => app.MapGet("/shed", (HttpContext context) =>
            {
                context.Response.Headers.RetryAfter = "2";
                return Results.StatusCode(StatusCodes.Status429TooManyRequests);
            }));

    private static async Task<Dictionary<string, string>> ForwardAsync(KestrelTestService caller, Uri to, string? client = null)
    {
        using var http = new HttpClient { BaseAddress = caller.BaseAddress };
        var query = "/forward?to=" + Uri.EscapeDataString(to.ToString()) + (client is null ? string.Empty : "&client=" + client);
        return KestrelTestService.ParseEcho(await http.GetStringAsync(new Uri(query, UriKind.Relative)));
    }

    [Fact]
    public async Task Outbound_LoopbackDownstream_HeadersArriveWithCallerValues()
    {
        await using var caller = await StartCallerAsync();
        await using var downstream = await StartDownstreamAsync();
        caller.Publish(usagePercent: 73, capacityMb: 1536);
        downstream.Publish(usagePercent: 10);

        var echo = await ForwardAsync(caller, new Uri(downstream.BaseAddress, "/echo"));

        Assert.Equal("73%", echo["usage"]);
        Assert.Equal("1536", echo["capacity"]);
        Assert.Equal("v7.3", echo["contract"]);
        Assert.Equal("73", echo["callerUsage"]);
        Assert.Equal("v7.3", echo["callerContract"]);
        Assert.Equal("False", echo["bypass"]);
    }

    [Fact]
    public async Task Outbound_PublicNameRoutedToLoopback_ReceivesNoHeaders()
    {
        await using var caller = await StartCallerAsync();
        await using var downstream = await StartDownstreamAsync();
        caller.Publish(usagePercent: 73);
        var hitsBefore = downstream.Hits;

        var echo = await ForwardAsync(caller, new Uri($"http://api.example.com:{downstream.BaseAddress.Port}/echo"), PublicClient);

        Assert.Equal(hitsBefore + 1, downstream.Hits);
        Assert.Equal(string.Empty, echo["usage"]);
        Assert.Equal(string.Empty, echo["capacity"]);
        Assert.Equal(string.Empty, echo["contract"]);

        // The same client to a loopback literal does send them.
        Assert.Equal("73%", (await ForwardAsync(caller, new Uri(downstream.BaseAddress, "/echo"), PublicClient))["usage"]);
    }

    [Fact]
    public async Task Inbound_PressuredTrustedCaller_BypassesCacheWritesForTheRequest()
    {
        await using var caller = await StartCallerAsync();
        await using var downstream = await StartDownstreamAsync();
        downstream.Publish(usagePercent: 10);

        caller.Publish(usagePercent: 90);
        var pressured = await ForwardAsync(caller, new Uri(downstream.BaseAddress, "/echo"));
        caller.Publish(usagePercent: 80);
        var atThreshold = await ForwardAsync(caller, new Uri(downstream.BaseAddress, "/echo"));

        Assert.Equal("True", pressured["bypass"]);
        Assert.Equal("True", pressured["bypassActive"]);
        Assert.Equal("False", atThreshold["bypass"]);
        Assert.Equal("False", atThreshold["bypassActive"]);
    }

    [Fact]
    public async Task Responses_TrustedCaller_GetsMemoryAndOrcaHeaders()
    {
        await using var downstream = await StartDownstreamAsync();
        downstream.Publish(usagePercent: 68, capacityMb: 2048);
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(downstream.BaseAddress, "/echo"));

        Assert.Equal("68%", response.Headers.GetValues("X-Memory-Usage").Single());
        Assert.Equal("2048", response.Headers.GetValues("X-Memory-Capacity").Single());
        Assert.Equal("v7.3", response.Headers.GetValues("X-Memory-Contract").Single());
        Assert.Equal("TEXT application_utilization=0.68, cpu_utilization=0, mem_utilization=0.68, rps_fractional=0, eps=0", response.Headers.GetValues("endpoint-load-metrics").Single());
    }

    [Fact]
    public async Task Responses_ShedResponseToTrustedCaller_CarriesHeaders()
    {
        await using var downstream = await StartDownstreamAsync();
        downstream.Publish(usagePercent: 99, level: PressureLevel.Critical);
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(downstream.BaseAddress, "/shed"));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("99%", response.Headers.GetValues("X-Memory-Usage").Single());
        Assert.Equal("TEXT application_utilization=0.99, cpu_utilization=0, mem_utilization=0.99, rps_fractional=0, eps=0", response.Headers.GetValues("endpoint-load-metrics").Single());
    }

    [Fact]
    public async Task Responses_UntrustedCaller_GetsNoneAndSpoofedUsageIsIgnored()
    {
        await using var downstream = await StartDownstreamAsync(PropagationTestContracts.LoopbackUntrusted);
        downstream.Publish(usagePercent: 68);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(downstream.BaseAddress, "/echo"));
        request.Headers.TryAddWithoutValidation("X-Memory-Usage", "99%");
        request.Headers.TryAddWithoutValidation("X-Memory-Contract", "v6.6.6");

        using var response = await http.SendAsync(request);
        var echo = KestrelTestService.ParseEcho(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("X-Memory-", StringComparison.OrdinalIgnoreCase) || h.Key == "endpoint-load-metrics");
        Assert.Equal("99%", echo["usage"]);
        Assert.Equal(string.Empty, echo["callerUsage"]);
        Assert.Equal(string.Empty, echo["callerContract"]);
        Assert.Equal("False", echo["bypass"]);
        Assert.Equal("False", echo["bypassActive"]);
    }

    [Fact]
    public async Task Inbound_MalformedValues_AnsweredOkAndCounted()
    {
        await using var downstream = await StartDownstreamAsync();
        downstream.Publish(usagePercent: 10);
        using var malformed = MetricCollection.Counter(downstream.Services, MemoryContractsMetricNames.HeadersMalformed);
        string[] usages = ["abc", "-5%", "%", "12%%", "99999999999999999999%", "1.5%"];
        using var http = new HttpClient();

        foreach (var value in usages)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(downstream.BaseAddress, "/echo"));
            request.Headers.TryAddWithoutValidation("X-Memory-Usage", value);
            request.Headers.TryAddWithoutValidation("X-Memory-Contract", new string('v', 200));
            using var response = await http.SendAsync(request);
            var echo = KestrelTestService.ParseEcho(await response.Content.ReadAsStringAsync());

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(string.Empty, echo["callerUsage"]);
            Assert.Equal("False", echo["bypass"]);
        }

        Assert.Equal(usages.Length, malformed.Sum(MemoryContractsMetricNames.HeaderTag, "X-Memory-Usage"));
        Assert.Equal(usages.Length, malformed.Sum(MemoryContractsMetricNames.HeaderTag, "X-Memory-Contract"));
    }

    [Fact]
    public async Task Backoff_SheddingDownstream_RefusedLocallyThenResumes_OtherDownstreamUnaffected()
    {
        // Draws of 0: a call is refused whenever the refusal probability is above 0.
        await using var caller = await StartCallerAsync(s => s.AddSingleton(new ThrottleRandom(() => 0)));
        await using var shedding = await StartDownstreamAsync();
        await using var other = await StartDownstreamAsync();
        caller.Publish(usagePercent: 30);
        shedding.Publish(usagePercent: 99, level: PressureLevel.Critical);
        other.Publish(usagePercent: 20);
        var clients = caller.Services.GetRequiredService<IHttpClientFactory>();
        using var client = clients.CreateClient();

        using (var shed = await client.GetAsync(new Uri(shedding.BaseAddress, "/shed")))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, shed.StatusCode);
        }

        // One call, one memory rejection: (1 − 2 × 0) / (1 + 1) = 0.5, for every client of the process.
        var hits = shedding.Hits;
        var refused = await Assert.ThrowsAsync<MemoryPressureRejectedException>(() => client.GetAsync(new Uri(shedding.BaseAddress, "/echo")));
        Assert.Equal($"127.0.0.1:{shedding.BaseAddress.Port}", refused.Authority);
        Assert.Equal(0.5, refused.RefusalProbability, 6);
        await Assert.ThrowsAsync<MemoryPressureRejectedException>(() => clients.CreateClient("another").GetAsync(new Uri(shedding.BaseAddress, "/echo")));
        Assert.Equal(hits, shedding.Hits);

        using (var unaffected = await client.GetAsync(new Uri(other.BaseAddress, "/echo")))
        {
            Assert.Equal(HttpStatusCode.OK, unaffected.StatusCode);
        }

        // Once the window has moved past those calls, calls flow again.
        shedding.Publish(usagePercent: 50);
        caller.Time.Advance(AdaptiveThrottleWindow.Length + TimeSpan.FromSeconds(1));
        using (var resumed = await client.GetAsync(new Uri(shedding.BaseAddress, "/echo")))
        {
            Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        }

        Assert.Equal(hits + 1, shedding.Hits);
    }
}
