using System.Net;
using System.Net.Sockets;
using MemoryContracts.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts.Tests.Propagation;

/// <summary>
/// Redirects between real Kestrel services on 127.0.0.1, followed by <c>IHttpClientFactory</c>
/// clients with their default primary handlers: a downstream A redirects to a service B, which is
/// addressed either as a loopback literal (an internal host) or as <c>api.example.com</c> (a public
/// name; the "public" client's connections go to loopback whatever the name, so nothing leaves the machine).
/// </summary>
public class RedirectPropagationTests
{
    private const string PublicClient = "public";

    /// <summary>The caller: a service provider with MemoryContracts and the two clients (no host needed).</summary>
    private static ServiceProvider StartCaller()
    {
        var caller = PropagationTestServices.Build(configure: services =>
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
        });
        caller.Publish(PressureLevel.Normal, usagePercent: 73, contractVersion: "v7.3");
        return caller;
    }

    /// <summary>A: <c>/redirect?to=…</c> answers 302 to <c>to</c> and remembers the X-Memory-Usage it received.</summary>
    private static Task<KestrelTestService> StartRedirectingAsync(Action<string> received) =>
        KestrelTestService.StartAsync(
            PropagationTestContracts.With(),
            mapRoutes: app => app.MapGet("/redirect", (string to, HttpContext context) =>
            {
                received(context.Request.Headers["X-Memory-Usage"].ToString());
                return Results.Redirect(to);
            }));

    /// <summary>B: <c>/echo</c>, and <c>/unavailable</c> answering 503 with <c>Retry-After: 300</c> (its pipeline adds X-Memory-Usage).</summary>
    private static async Task<KestrelTestService> StartTargetAsync()
    {
        var target = await KestrelTestService.StartAsync(
            PropagationTestContracts.With(),
            mapRoutes: app => app.MapGet("/unavailable", (HttpContext context) =>
            {
                context.Response.Headers.RetryAfter = "300";
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            }));
        target.Publish(usagePercent: 50);
        return target;
    }

    private static Uri RedirectVia(KestrelTestService redirecting, Uri to) =>
        new(redirecting.BaseAddress, "/redirect?to=" + Uri.EscapeDataString(to.ToString()));

    private static string Authority(KestrelTestService service) => $"127.0.0.1:{service.BaseAddress.Port}";

    [Fact]
    public async Task Redirect_ToHostOutsideOutboundHosts_TargetGetsNoHeaders()
    {
        using var caller = StartCaller();
        var receivedByA = "none";
        await using var a = await StartRedirectingAsync(usage => receivedByA = usage);
        await using var b = await StartTargetAsync();
        using var client = caller.GetRequiredService<IHttpClientFactory>().CreateClient(PublicClient);

        var body = await client.GetStringAsync(RedirectVia(a, new Uri($"http://api.example.com:{b.BaseAddress.Port}/echo")));
        var echo = KestrelTestService.ParseEcho(body);

        Assert.Equal("73%", receivedByA);
        Assert.Equal(string.Empty, echo["usage"]);
        Assert.Equal(string.Empty, echo["capacity"]);
        Assert.Equal(string.Empty, echo["contract"]);
    }

    [Fact]
    public async Task Redirect_PublicTargetAnswers503RetryAfter_NotCountedAgainstTheOriginalAuthority()
    {
        using var caller = StartCaller();
        await using var a = await StartRedirectingAsync(_ => { });
        await using var b = await StartTargetAsync();
        var throttle = caller.GetRequiredService<DownstreamThrottle>();
        using var client = caller.GetRequiredService<IHttpClientFactory>().CreateClient(PublicClient);

        using (var redirected = await client.GetAsync(RedirectVia(a, new Uri($"http://api.example.com:{b.BaseAddress.Port}/unavailable"))))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, redirected.StatusCode);
            Assert.Equal("50%", redirected.Headers.GetValues("X-Memory-Usage").Single());
        }

        Assert.Equal((1, 1), Counts(throttle, Authority(a)));
        Assert.Equal(1, throttle.Count);
        var hits = a.Hits;
        using var next = await client.GetAsync(new Uri(a.BaseAddress, "/echo"));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(hits + 1, a.Hits);
    }

    [Fact]
    public async Task Redirect_ToInternalHost_TargetGetsHeadersAndOnlyItIsCreditedItsRejection()
    {
        using var caller = StartCaller();
        await using var a = await StartRedirectingAsync(_ => { });
        await using var b = await StartTargetAsync();
        var throttle = caller.GetRequiredService<DownstreamThrottle>();
        using var client = caller.GetRequiredService<IHttpClientFactory>().CreateClient();

        var echo = KestrelTestService.ParseEcho(await client.GetStringAsync(RedirectVia(a, new Uri(b.BaseAddress, "/echo"))));
        Assert.Equal("73%", echo["usage"]);

        using (var redirected = await client.GetAsync(RedirectVia(a, new Uri(b.BaseAddress, "/unavailable"))))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, redirected.StatusCode);
        }

        // b answered /echo (accepted) and /unavailable (a memory rejection); a answered two redirects.
        Assert.Equal((2, 1), Counts(throttle, Authority(b)));
        Assert.Equal((2, 2), Counts(throttle, Authority(a)));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri(a.BaseAddress, "/echo"))).StatusCode);
    }

    private static (long Requests, long Accepts) Counts(DownstreamThrottle throttle, string authority) =>
        throttle.TryGet(authority, out var downstream) ? downstream.Controller.Counts : (0, 0);
}
