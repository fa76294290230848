using System.Net;
using MemoryContracts.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;

namespace MemoryContracts.Tests.Propagation;

/// <summary>The log events of headers between services (docs/telemetry.md, 400–405) with the level the docs give.</summary>
public sealed class PropagationLogTests : IDisposable
{
    private readonly FakeLoggerProvider _logs = new();
    private readonly TimerCountingTimeProvider _time = new();
    private ServiceProvider? _services;
    private HttpMessageInvoker? _invoker;
    private StubInnerHandler? _inner;

    public void Dispose()
    {
        _invoker?.Dispose();
        _services?.Dispose();
        _logs.Dispose();
    }

    [Fact]
    public async Task SendAsync_DownstreamShedsThenWindowEnds_Logs400WarningThen402Information()
    {
        Start();
        _inner!.Respond = _ => StubInnerHandler.Pressured(HttpStatusCode.TooManyRequests, "97%", "2");

        await GetAsync("http://inventory:8080/");
        _inner.Respond = _ => new HttpResponseMessage(HttpStatusCode.OK);
        await Assert.ThrowsAsync<IsolatedCircuitException>(() => GetAsync("http://inventory:8080/"));
        _time.Advance(TimeSpan.FromSeconds(2));

        var isolated = Assert.Single(_logs.WithEvent(400));
        Assert.Equal(LogLevel.Warning, isolated.Level);
        Assert.Contains("inventory:8080", isolated.Message, StringComparison.Ordinal);
        Assert.Contains("97%", isolated.Message, StringComparison.Ordinal);
        var restored = Assert.Single(_logs.WithEvent(402));
        Assert.Equal(LogLevel.Information, restored.Level);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("http://inventory:8080/")).StatusCode);
    }

    [Fact]
    public void Isolate_LongerWindowWhileIsolated_Logs401AtDebug()
    {
        Start();
        var backoff = _services!.GetRequiredService<DownstreamBackoff>();

        backoff.Isolate("inventory:80", TimeSpan.FromSeconds(2), 429, 99);
        backoff.Isolate("inventory:80", TimeSpan.FromSeconds(10), 429, 99);

        Assert.Single(_logs.WithEvent(400));
        Assert.Equal(LogLevel.Debug, Assert.Single(_logs.WithEvent(401)).Level);
    }

    [Fact]
    public async Task SendAsync_ShadowModeDownstreamSheds_Logs403InformationAndIsolatesNothing()
    {
        Start(PropagationTestContracts.With(mode: MemoryContractMode.Shadow));
        _inner!.Respond = _ => StubInnerHandler.Pressured(HttpStatusCode.TooManyRequests, "99%", "5");

        await GetAsync("http://inventory/");
        await GetAsync("http://inventory/");

        Assert.Equal(2, _inner.Calls);
        Assert.Empty(_logs.WithEvent(400));
        var shadow = _logs.WithEvent(403);
        Assert.NotEmpty(shadow);
        Assert.All(shadow, e => Assert.Equal(LogLevel.Information, e.Level));
        Assert.Contains("would be isolated for 5 s", shadow[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Isolate_BeyondCapacity_Logs404Warning()
    {
        Start();
        var backoff = _services!.GetRequiredService<DownstreamBackoff>();

        for (var i = 0; i <= DownstreamBackoff.MaxIsolated; i++)
        {
            backoff.Isolate($"host{i}:80", TimeSpan.FromSeconds(5), 429, 99);
        }

        var refused = Assert.Single(_logs.WithEvent(404));
        Assert.Equal(LogLevel.Warning, refused.Level);
        Assert.Contains($"host{DownstreamBackoff.MaxIsolated}:80", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_MalformedDownstreamUsage_Logs405AtDebug()
    {
        Start();
        _inner!.Respond = _ => StubInnerHandler.Pressured(HttpStatusCode.OK, "12%%");

        await GetAsync("http://inventory/");

        var malformed = Assert.Single(_logs.WithEvent(405));
        Assert.Equal(LogLevel.Debug, malformed.Level);
        Assert.Contains("X-Memory-Usage", malformed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OnRequest_TrustedCallerSendsMalformedUsage_Logs405AtDebugAndReadsNothing()
    {
        Start();
        var snapshot = _services!.Publish(PressureLevel.Normal, usagePercent: 40);
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Loopback;
        context.Request.Headers["X-Memory-Usage"] = "abc";

        var caller = _services!.GetRequiredService<InboundPropagation>().OnRequest(context, snapshot);

        Assert.Null(caller.UsagePercent);
        var malformed = Assert.Single(_logs.WithEvent(405));
        Assert.Equal(LogLevel.Debug, malformed.Level);
        Assert.Contains("X-Memory-Usage", malformed.Message, StringComparison.Ordinal);
    }

    private void Start(MemoryContract? contract = null)
    {
        _services = PropagationTestServices.Build(contract, _time, s => s.AddLogging(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug)));
        _inner = new StubInnerHandler();
        var handler = MemoryContractHeadersHandler.Create(_services);
        handler.InnerHandler = _inner;
        _invoker = new HttpMessageInvoker(handler);
        _services.Publish(PressureLevel.Elevated, usagePercent: 68);
    }

    private Task<HttpResponseMessage> GetAsync(string uri) => _invoker!.SendAsync(new HttpRequestMessage(HttpMethod.Get, uri), CancellationToken.None);
}
