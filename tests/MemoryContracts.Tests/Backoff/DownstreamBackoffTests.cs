using System.Net;
using MemoryContracts.Tests.Propagation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace MemoryContracts.Tests.Backoff;

/// <summary>
/// Downstream backoff behind a load-balanced name (DESIGN §13): client-side adaptive throttling per
/// authority, driven by a hand-moved clock, over scripted replicas that all answer for one name.
/// Ten calls a second throughout. The runs' figures are written to the test output
/// (<c>--logger "console;verbosity=detailed"</c>), as bench/RESULTS.md quotes them.
/// </summary>
public sealed class DownstreamBackoffTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task SendAsync_OneOfThreeReplicasSheds_AlmostNothingRefusedLocally()
    {
        using var f = new BackoffFixture();
        f.Replicas.Shed(0);

        var tally = await f.CallsAsync(300, Tick);
        output.WriteLine($"one replica of three shedding, 30 s: {tally}");

        // The very first call met the shedding replica: (1 − 0) / (1 + 1) = 0.5 for the second call,
        // until the healthy replicas' accepts outweigh it; from then on nothing is refused.
        Assert.True(tally.RefusedLocally <= 2, tally.ToString());
        Assert.True(tally.Served >= 198, tally.ToString());
        Assert.Equal(0, f.RefusalProbability);
        Assert.Equal(tally.Served, f.Replicas.CallsTo(1) + f.Replicas.CallsTo(2));
    }

    [Fact]
    public async Task SendAsync_AllThreeReplicasShed_RefusedLocallyInProportion()
    {
        using var f = new BackoffFixture();
        await f.CallsAsync(300, Tick);
        f.Replicas.ShedAll();
        var calls = f.Replicas.Calls;

        double expected = 0, variance = 0;
        var tally = await f.CallsAsync(600, Tick, p =>
        {
            expected += p;
            variance += p * (1 - p);
        });

        // Each call was refused with the probability the formula gave just before it: the count of
        // refusals is their sum, within three standard deviations (the draws are seeded).
        Assert.InRange(tally.RefusedLocally, expected - (3 * Math.Sqrt(variance)) - 1, expected + (3 * Math.Sqrt(variance)) + 1);
        Assert.True(tally.RefusedLocally > 300, tally.ToString());
        Assert.Equal(AdaptiveThrottling.MaxRefusalProbability, f.RefusalProbability, 6);
        Assert.Equal(tally.ShedByDownstream, f.Replicas.Calls - calls);
        Assert.Single(f.Events(420));
    }

    [Fact]
    public async Task SendAsync_AllSheddingThenRecovered_RefusalsFallGraduallyWithNoCliff()
    {
        using var f = new BackoffFixture();
        await f.CallsAsync(300, Tick);
        f.Replicas.ShedAll();
        for (var second = 0; second < 60; second += 5)
        {
            output.WriteLine($"all shedding, seconds {second}–{second + 5}: {await f.CallsAsync(50, Tick)}; probability now {f.RefusalProbability:0.00}");
        }

        Assert.Equal(AdaptiveThrottling.MaxRefusalProbability, f.RefusalProbability, 6);

        f.Replicas.ShedAll(shedding: false);
        var perSecond = new List<double>();
        var refusedPerFiveSeconds = new List<double>();
        var slot = new Tally();
        for (var second = 1; second <= 120; second++)
        {
            var tally = await f.CallsAsync(10, Tick);
            perSecond.Add(f.RefusalProbability);
            foreach (var _ in Enumerable.Range(0, tally.RefusedLocally))
            {
                slot.Add(CallResult.RefusedLocally);
            }

            foreach (var _ in Enumerable.Range(0, tally.Served + tally.ShedByDownstream))
            {
                slot.Add(CallResult.Served);
            }

            if (second % 5 == 0)
            {
                output.WriteLine($"serving again, seconds {second - 5}–{second}: {slot.RefusedLocally} of {slot.Total} refused locally; probability now {f.RefusalProbability:0.00}");
                refusedPerFiveSeconds.Add(slot.RefusedFraction);
                slot = new Tally();
            }
        }

        // No cliff: most calls are still refused in the first seconds after the downstream recovered, and
        // the probability never falls by more than a fifth of its span in one second.
        Assert.True(refusedPerFiveSeconds[0] >= 0.6, string.Join(", ", refusedPerFiveSeconds));
        for (var i = 1; i < perSecond.Count; i++)
        {
            Assert.True(perSecond[i - 1] - perSecond[i] <= 0.2, $"second {i + 1}: {perSecond[i - 1]:0.00} → {perSecond[i]:0.00}");
            Assert.True(perSecond[i] <= perSecond[i - 1] + 0.02, $"second {i + 1}: {perSecond[i - 1]:0.00} → {perSecond[i]:0.00}");
        }

        // Gradual, and over: nothing refused for the last 30 seconds, and no probability left.
        var firstZero = perSecond.IndexOf(0) + 1;
        Assert.InRange(firstZero, 20, 90);
        Assert.All(refusedPerFiveSeconds.TakeLast(6), fraction => Assert.Equal(0, fraction));
        Assert.Single(f.Events(421));
    }

    [Fact]
    public async Task SendAsync_CoreCallDuringBackoff_StillGoesOutAndOnlyTheDownstreamMayRefuseIt()
    {
        // Draws of 0: any call outside a core request is refused while the probability is above 0.
        using var f = new BackoffFixture(random: () => 0);
        f.Replicas.ShedAll();
        await f.CallsAsync(50, Tick);
        Assert.Equal(CallResult.RefusedLocally, await f.CallAsync());
        var calls = f.Replicas.Calls;

        CallResult core = default;
        await CoreRequestFlow.Run(async _ => core = await f.CallAsync(), new DefaultHttpContext());

        Assert.Equal(CallResult.ShedByDownstream, core);
        Assert.Equal(calls + 1, f.Replicas.Calls);
        Assert.False(CoreRequestFlow.IsActive);
        Assert.Equal(CallResult.RefusedLocally, await f.CallAsync());
    }

    [Theory]
    [InlineData(2.0, 0.198)]
    [InlineData(3.0, 0)]
    public async Task SendAsync_ThreeOfFiveReplicasShed_AcceptsMultiplierDecides(double k, double probability)
    {
        using var f = new BackoffFixture(replicas: 5, propagation: new PropagationPolicy { DownstreamBackoffAcceptsMultiplier = k }, random: () => 0);
        f.Replicas.Shed(0);
        f.Replicas.Shed(1);
        f.Replicas.Shed(2);

        // Core calls are never refused, so exactly 100 go out: 60 rejections, 40 accepts.
        await CoreRequestFlow.Run(async _ => await f.CallsAsync(100, Tick), new DefaultHttpContext());

        Assert.Equal((100, 40), f.Controller.Counts);
        Assert.Equal(probability, f.RefusalProbability, 3);
        Assert.Equal(probability > 0 ? CallResult.RefusedLocally : CallResult.ShedByDownstream, await f.CallAsync());
    }

    [Fact]
    public async Task SendAsync_Refused_FailsWithoutTouchingTheNetworkAndSaysWhy()
    {
        using var f = new BackoffFixture(random: () => 0);
        using var refused = new MetricCollector<long>(f.Services.GetRequiredService<MemoryContractsMetrics>().Meter, MemoryContractsMetricNames.DownstreamRefusals);
        f.Replicas.ShedAll();
        await f.CallAsync();
        var calls = f.Replicas.Calls;

        var exception = await Assert.ThrowsAsync<MemoryPressureRejectedException>(() => f.Invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, BackoffFixture.Inventory), CancellationToken.None));

        Assert.Equal(calls, f.Replicas.Calls);
        Assert.Equal(BackoffFixture.Authority, exception.Authority);
        Assert.Equal(0.5, exception.RefusalProbability, 6);
        Assert.Contains("inventory:8080", exception.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<Polly.ExecutionRejectedException>(exception);
        Assert.NotNull(exception.TelemetrySource);
        var measurement = Assert.Single(refused.GetMeasurementSnapshot());
        Assert.Equal(1, measurement.Value);
        Assert.Equal(BackoffFixture.Authority, measurement.Tags[MemoryContractsMetricNames.AuthorityTag]);
        var started = Assert.Single(f.Events(420));
        Assert.Equal(LogLevel.Warning, started.Level);
    }

    [Fact]
    public async Task Send_SynchronousCallRefused_Throws()
    {
        using var f = new BackoffFixture(random: () => 0);
        f.Replicas.ShedAll();
        f.Invoker.Send(new HttpRequestMessage(HttpMethod.Get, BackoffFixture.Inventory), CancellationToken.None).Dispose();

        Assert.Throws<MemoryPressureRejectedException>(() => f.Invoker.Send(new HttpRequestMessage(HttpMethod.Get, BackoffFixture.Inventory), CancellationToken.None));
        Assert.Equal(1, f.Replicas.Calls);
    }

    [Fact]
    public async Task SendAsync_ShadowMode_NeverRefusesAndSaysOnceWhatItWouldDo()
    {
        using var f = new BackoffFixture(mode: MemoryContractMode.Shadow, random: () => 0);
        f.Replicas.ShedAll();

        var tally = await f.CallsAsync(100, Tick);

        Assert.Equal(0, tally.RefusedLocally);
        Assert.Equal(100, f.Replicas.Calls);
        Assert.True(f.RefusalProbability > 0.8);
        Assert.Single(f.Events(422));
        Assert.Empty(f.Events(420));
    }

    [Fact]
    public async Task SendAsync_ShedWithLongRetryAfterThenServed_NoWindowOfIsolation()
    {
        // The first design isolated the authority for the Retry-After (here 300 s); now one accepted call
        // after one rejection already brings the probability back to 0: (2 − 2 × 1) / 3.
        using var f = new BackoffFixture(replicas: 1, random: () => 0.99);
        f.Replicas.RetryAfterSeconds = 300;
        f.Replicas.ShedAll();
        Assert.Equal(CallResult.ShedByDownstream, await f.CallAsync());
        f.Replicas.ShedAll(shedding: false);

        Assert.Equal(CallResult.Served, await f.CallAsync());
        Assert.Equal(0, f.RefusalProbability);
        Assert.Equal(CallResult.Served, await f.CallAsync());
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests, "97%", "5", false)]
    [InlineData(HttpStatusCode.ServiceUnavailable, "60%", "10", false)]
    [InlineData(HttpStatusCode.OK, "96%", null, false)]
    [InlineData(HttpStatusCode.OK, "95%", null, true)]
    [InlineData(HttpStatusCode.TooManyRequests, null, "2", true)]
    [InlineData(HttpStatusCode.TooManyRequests, "50%", null, true)]
    [InlineData(HttpStatusCode.InternalServerError, "50%", "2", true)]
    [InlineData(HttpStatusCode.TooManyRequests, "abc", "2", true)]
    public async Task SendAsync_Answer_CountedAsAcceptOrMemoryRejection(HttpStatusCode status, string? usage, string? retryAfter, bool accepted)
    {
        using var f = new BackoffFixture();
        var inner = new Propagation.StubInnerHandler
        {
            Respond = _ =>
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
            },
        };
        var handler = MemoryContractHeadersHandler.Create(f.Services);
        handler.InnerHandler = inner;
        using var invoker = new HttpMessageInvoker(handler);

        (await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, BackoffFixture.Inventory), CancellationToken.None)).Dispose();

        Assert.Equal((1, accepted ? 1 : 0), f.Controller.Counts);
    }

    [Fact]
    public async Task SendAsync_CallFails_CountsForNothingAndFailsAsBefore()
    {
        using var f = new BackoffFixture();
        var handler = MemoryContractHeadersHandler.Create(f.Services);
        handler.InnerHandler = new Propagation.StubInnerHandler { Respond = _ => throw new HttpRequestException("connection refused") };
        using var invoker = new HttpMessageInvoker(handler);

        await Assert.ThrowsAsync<HttpRequestException>(() => invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, BackoffFixture.Inventory), CancellationToken.None));

        Assert.Equal((0, 0), f.Controller.Counts);
    }

    [Fact]
    public async Task SendAsync_CallCanceled_StaysCanceled()
    {
        using var f = new BackoffFixture();
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();
        var handler = MemoryContractHeadersHandler.Create(f.Services);
        handler.InnerHandler = new CanceledHandler();
        using var invoker = new HttpMessageInvoker(handler);

        var sending = invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, BackoffFixture.Inventory), cancel.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        Assert.True(sending.IsCanceled);
    }

    [Fact]
    public async Task SendAsync_PublicHostSheds_NotFollowed()
    {
        using var f = new BackoffFixture(random: () => 0);
        f.Replicas.ShedAll();

        var tally = new Tally();
        for (var i = 0; i < 20; i++)
        {
            tally.Add(await f.CallAsync(new Uri("https://api.example.com/stock")));
        }

        Assert.Equal(20, tally.ShedByDownstream);
        Assert.Equal(0, f.Throttle.Count);
    }

    [Fact]
    public async Task For_BeyondCapacity_UntrackedUntilIdleAuthoritiesMakeRoom()
    {
        using var f = new BackoffFixture();
        for (var i = 0; i < DownstreamThrottle.MaxAuthorities; i++)
        {
            f.Throttle.For(new Uri($"http://host{i}:80/"))!.Controller.OnResponse(new HttpResponseMessage(HttpStatusCode.OK));
        }

        Assert.Null(f.Throttle.For(new Uri("http://one-too-many:80/")));
        Assert.Equal(CallResult.Served, await f.CallAsync());
        Assert.Single(f.Events(423));

        f.Time.Advance(AdaptiveThrottleWindow.Length);
        Assert.NotNull(f.Throttle.For(new Uri("http://one-too-many:80/")));
        Assert.True(f.Throttle.Count <= DownstreamThrottle.MaxAuthorities);
    }

    [Fact]
    public async Task SendAsync_RememberedAuthorityDroppedWhileIdle_LooksItUpAgain()
    {
        using var f = new BackoffFixture();
        Assert.Equal(CallResult.Served, await f.CallAsync());
        var first = f.Controller;
        f.Time.Advance(AdaptiveThrottleWindow.Length);
        for (var i = 0; i < DownstreamThrottle.MaxAuthorities; i++)
        {
            f.Throttle.For(new Uri($"http://host{i}:80/"))!.Controller.OnResponse(new HttpResponseMessage(HttpStatusCode.OK));
        }

        Assert.False(f.Throttle.TryGet(BackoffFixture.Authority, out _));
        f.Time.Advance(AdaptiveThrottleWindow.Length);

        Assert.Equal(CallResult.Served, await f.CallAsync());
        Assert.NotSame(first, f.Controller);
        Assert.Equal((1, 1), f.Controller.Counts);
    }

    /// <summary>An inner handler whose call is canceled, as SocketsHttpHandler's is when its token fires.</summary>
    private sealed class CanceledHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromCanceled<HttpResponseMessage>(cancellationToken);
    }
}
