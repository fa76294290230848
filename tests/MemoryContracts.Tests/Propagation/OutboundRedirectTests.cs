using System.Net;
using System.Net.Http.Headers;
using MemoryContracts.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts.Tests.Propagation;

/// <summary>The outbound handler following a client's redirects itself (a stub stands for the network).</summary>
public class OutboundRedirectTests
{
    /// <summary>What one hop looked like when it reached the network.</summary>
    private sealed record Hop(HttpMethod Method, Uri Uri, string? Usage, string? Authorization, string? Body);

    private sealed class Fixture : IDisposable
    {
        public Fixture(RedirectTakeover takeover)
        {
            // Draws of 0: a call outside a core request is refused whenever the refusal probability is above 0.
            Services = PropagationTestServices.Build(time: Time, configure: s => s.AddSingleton(new ThrottleRandom(() => 0)));
            var handler = MemoryContractHeadersHandler.Create(Services);
            handler.Apply(takeover);
            handler.InnerHandler = Inner;
            Invoker = new HttpMessageInvoker(handler);
            Inner.Respond = request =>
            {
                Hops.Add(new Hop(
                    request.Method,
                    request.RequestUri!,
                    request.Headers.NonValidated.TryGetValues("X-Memory-Usage", out var usage) ? usage.ToString() : null,
                    request.Headers.Authorization?.ToString(),
                    request.Content?.ReadAsStringAsync().GetAwaiter().GetResult()));
                var response = Answer(request);
                response.RequestMessage = request;
                return response;
            };
            Services.Publish(PressureLevel.Normal, usagePercent: 68, contractVersion: "v7.3");
        }

        public FakeTimeProvider Time { get; } = new();

        public ServiceProvider Services { get; }

        public StubInnerHandler Inner { get; } = new();

        public HttpMessageInvoker Invoker { get; }

        public List<Hop> Hops { get; } = [];

        /// <summary>Gets or sets what the network answers (the response's RequestMessage is set afterwards).</summary>
        public Func<HttpRequestMessage, HttpResponseMessage> Answer { get; set; } = _ => new HttpResponseMessage(HttpStatusCode.OK);

        public DownstreamThrottle Throttle => Services.GetRequiredService<DownstreamThrottle>();

        /// <summary>The calls made to and accepted by <paramref name="authority"/> in the backoff window; (0, 0) when it is not followed.</summary>
        public (long Requests, long Accepts) Counts(string authority) =>
            Throttle.TryGet(authority, out var downstream) ? downstream.Controller.Counts : (0, 0);

        public Task<HttpResponseMessage> GetAsync(string uri) => Invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, uri), CancellationToken.None);

        public void Dispose()
        {
            Invoker.Dispose();
            Services.Dispose();
        }
    }

    private static RedirectTakeover Following(int max = 50) => new(max, null);

    private static HttpResponseMessage Redirect(HttpStatusCode status, string location)
    {
        var response = new HttpResponseMessage(status);
        response.Headers.Location = new Uri(location, UriKind.RelativeOrAbsolute);
        return response;
    }

    /// <summary>Answers by path: <c>/go</c> redirects to <paramref name="location"/>, anything else answers <paramref name="final"/>.</summary>
    private static Func<HttpRequestMessage, HttpResponseMessage> RedirectingTo(string location, Func<HttpResponseMessage>? final = null, HttpStatusCode status = HttpStatusCode.Found) =>
        request => request.RequestUri!.AbsolutePath == "/go" ? Redirect(status, location) : (final ?? (() => new HttpResponseMessage(HttpStatusCode.OK)))();

    [Fact]
    public async Task SendAsync_RedirectToPublicHost_TargetGetsNoHeaders()
    {
        using var f = new Fixture(Following());
        f.Answer = RedirectingTo("https://api.example.com/landing");

        using var response = await f.GetAsync("http://inventory/go");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["http://inventory/go", "https://api.example.com/landing"], f.Hops.Select(h => h.Uri.ToString()));
        Assert.Equal("68%", f.Hops[0].Usage);
        Assert.Null(f.Hops[1].Usage);
        Assert.Empty(f.Inner.LastMemoryHeaders);
    }

    [Fact]
    public void Send_RedirectToPublicHost_TargetGetsNoHeaders()
    {
        using var f = new Fixture(Following());
        f.Answer = RedirectingTo("https://api.example.com/landing");

        using var response = f.Invoker.Send(new HttpRequestMessage(HttpMethod.Get, "http://inventory/go"), CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("68%", f.Hops[0].Usage);
        Assert.Null(f.Hops[1].Usage);
    }

    [Fact]
    public async Task SendAsync_PublicHostRedirectsToInternalHost_InternalHopGetsHeaders()
    {
        using var f = new Fixture(Following());
        f.Answer = RedirectingTo("https://orders.internal/landing");

        await f.GetAsync("https://api.example.com/go");

        Assert.Null(f.Hops[0].Usage);
        Assert.Equal("68%", f.Hops[1].Usage);
    }

    [Fact]
    public async Task SendAsync_UsersOwnHeaderToPublicHostRedirectedToPublicHost_KeptOnEveryHop()
    {
        using var f = new Fixture(Following());
        f.Answer = RedirectingTo("https://cdn.example.com/landing");
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/go");
        request.Headers.TryAddWithoutValidation("X-Memory-Usage", "theirs");

        await f.Invoker.SendAsync(request, CancellationToken.None);

        Assert.Equal(["theirs", "theirs"], f.Hops.Select(h => h.Usage));
    }

    [Fact]
    public async Task SendAsync_RedirectTargetSheds_CreditedToTheTargetNotTheOriginalAuthority()
    {
        using var f = new Fixture(Following());
        f.Answer = RedirectingTo("http://orders.internal:9000/landing", () => StubInnerHandler.Pressured(HttpStatusCode.ServiceUnavailable, "99%", "300"));

        using var response = await f.GetAsync("http://inventory:8080/go");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal((1, 1), f.Counts("inventory:8080"));
        Assert.Equal((1, 0), f.Counts("orders.internal:9000"));
        f.Answer = _ => new HttpResponseMessage(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, (await f.GetAsync("http://inventory:8080/other")).StatusCode);
    }

    [Fact]
    public async Task SendAsync_PublicRedirectTargetSheds_NoRejectionCreditedToAnyone()
    {
        using var f = new Fixture(Following());
        f.Answer = RedirectingTo("https://api.example.com/landing", () => StubInnerHandler.Pressured(HttpStatusCode.ServiceUnavailable, "99%", "300"));

        using var response = await f.GetAsync("http://inventory:8080/go");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal((1, 1), f.Counts("inventory:8080"));
        Assert.Equal(1, f.Throttle.Count);
    }

    [Fact]
    public async Task SendAsync_RedirectToBackedOffAuthority_RefusedWithoutSendingIt()
    {
        using var f = new Fixture(Following());
        var orders = f.Throttle.For(new Uri("http://orders.internal/"))!.Controller;
        for (var i = 0; i < 20; i++)
        {
            orders.OnResponse(StubInnerHandler.Pressured(HttpStatusCode.TooManyRequests, "99%", "30"));
        }

        f.Answer = RedirectingTo("http://orders.internal/landing");

        await Assert.ThrowsAsync<MemoryPressureRejectedException>(() => f.GetAsync("http://inventory/go"));

        Assert.Single(f.Hops);
    }

    [Fact]
    public async Task SendAsync_NotTakenOver_RedirectFollowedBelowIsNotCreditedToTheOriginalAuthority()
    {
        // A primary handler that follows redirects itself rewrites the request's URI, as SocketsHttpHandler does.
        using var f = new Fixture(RedirectTakeover.None);
        f.Answer = request =>
        {
            request.RequestUri = new Uri("http://orders.internal:9000/landing");
            return StubInnerHandler.Pressured(HttpStatusCode.ServiceUnavailable, "99%", "300");
        };

        using var response = await f.GetAsync("http://inventory:8080/go");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Single(f.Hops);
        Assert.Equal((0, 0), f.Counts("inventory:8080"));
    }

    [Fact]
    public async Task SendAsync_NotTakenOver_RedirectIsReturnedNotFollowed()
    {
        using var f = new Fixture(RedirectTakeover.None);
        f.Answer = RedirectingTo("http://orders.internal/landing");

        using var response = await f.GetAsync("http://inventory/go");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Single(f.Hops);
    }

    [Fact]
    public async Task SendAsync_HeadersWithheld_NothingSentButSameAuthorityRejectionStillCounted()
    {
        using var f = new Fixture(new RedirectTakeover(0, "it authenticates with Credentials that are not a CredentialCache"));
        f.Answer = _ => StubInnerHandler.Pressured(HttpStatusCode.ServiceUnavailable, "99%", "30");

        await f.GetAsync("http://inventory/");

        Assert.Null(f.Hops[0].Usage);
        Assert.Equal((1, 0), f.Counts("inventory:80"));
    }

    [Fact]
    public async Task SendAsync_MoreRedirectsThanAllowed_ReturnsTheLastRedirect()
    {
        using var f = new Fixture(Following(max: 2));
        f.Answer = _ => Redirect(HttpStatusCode.Found, "/go?" + f.Hops.Count);

        using var response = await f.GetAsync("http://inventory/go");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(3, f.Hops.Count);
    }

    [Theory]
    [InlineData(HttpStatusCode.MovedPermanently, "POST", "GET", false)]
    [InlineData(HttpStatusCode.Found, "POST", "GET", false)]
    [InlineData(HttpStatusCode.MultipleChoices, "POST", "GET", false)]
    [InlineData(HttpStatusCode.Found, "PUT", "PUT", true)]
    [InlineData(HttpStatusCode.SeeOther, "PUT", "GET", false)]
    [InlineData(HttpStatusCode.SeeOther, "HEAD", "HEAD", true)]
    [InlineData(HttpStatusCode.TemporaryRedirect, "POST", "POST", true)]
    [InlineData(HttpStatusCode.PermanentRedirect, "POST", "POST", true)]
    public async Task SendAsync_RedirectStatus_ChangesMethodAsDotNetDoes(HttpStatusCode status, string method, string redirectedMethod, bool keepsBody)
    {
        using var f = new Fixture(Following());
        f.Answer = RedirectingTo("/landing", status: status);
        using var request = new HttpRequestMessage(new HttpMethod(method), "http://inventory/go") { Content = new StringContent("order") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "secret");

        await f.Invoker.SendAsync(request, CancellationToken.None);

        Assert.Equal(2, f.Hops.Count);
        Assert.Equal("http://inventory/landing", f.Hops[1].Uri.ToString());
        Assert.Equal(redirectedMethod, f.Hops[1].Method.Method);
        Assert.Equal(keepsBody ? "order" : null, f.Hops[1].Body);
        Assert.Equal("Bearer secret", f.Hops[0].Authorization);
        Assert.Null(f.Hops[1].Authorization);
    }

    [Theory]
    [InlineData("https://inventory/go", "http://inventory/landing")]
    [InlineData("http://inventory/go", "ftp://inventory/landing")]
    [InlineData("http://inventory/go", "file:///etc/passwd")]
    public async Task SendAsync_RedirectToInsecureOrUnsupportedScheme_NotFollowed(string uri, string location)
    {
        using var f = new Fixture(Following());
        f.Answer = RedirectingTo(location);

        using var response = await f.GetAsync(uri);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Single(f.Hops);
    }

    [Fact]
    public async Task SendAsync_RedirectWithoutLocationOrNotModified_ReturnedAsIs()
    {
        using var f = new Fixture(Following());
        f.Answer = _ => new HttpResponseMessage(HttpStatusCode.Found);
        Assert.Equal(HttpStatusCode.Found, (await f.GetAsync("http://inventory/go")).StatusCode);

        f.Answer = _ => Redirect(HttpStatusCode.NotModified, "/landing");
        Assert.Equal(HttpStatusCode.NotModified, (await f.GetAsync("http://inventory/go")).StatusCode);
        Assert.Equal(2, f.Hops.Count);
    }

    [Fact]
    public async Task SendAsync_LocationWithoutFragment_KeepsTheRequestsFragment()
    {
        using var f = new Fixture(Following());
        f.Answer = RedirectingTo("/landing");

        await f.GetAsync("http://inventory/go#part");

        Assert.Equal("http://inventory/landing#part", f.Hops[1].Uri.ToString());
    }

    [Theory]
    [InlineData("http://inventory.shop.svc.cluster.local:8080/items/42")]
    [InlineData("https://api.example.com/items/42")]
    public void SendAsync_SteadyStateWithRedirectsTakenOver_AllocatesNothing(string uri)
    {
        using var services = PropagationTestServices.Build();
        services.Publish(PressureLevel.Normal, usagePercent: 50, contractVersion: "v7.3");
        var cached = StubInnerHandler.Pressured(HttpStatusCode.OK, "50%");
        var handler = MemoryContractHeadersHandler.Create(services);
        handler.Apply(Following());
        handler.InnerHandler = new CompletedHandler(cached);
        using var invoker = new HttpMessageInvoker(handler);
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);

        for (var i = 0; i < 100; i++)
        {
            request.Headers.Clear();
            Assert.True(invoker.SendAsync(request, CancellationToken.None).IsCompletedSuccessfully);
        }

        var completed = true;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            request.Headers.Clear();
            completed &= invoker.SendAsync(request, CancellationToken.None).IsCompletedSuccessfully;
        }

        Assert.True(completed);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>The network stand-in of the benchmarks: one completed task with one cached response.</summary>
    private sealed class CompletedHandler(HttpResponseMessage response) : HttpMessageHandler
    {
        private readonly Task<HttpResponseMessage> _response = Task.FromResult(response);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => _response;
    }
}
