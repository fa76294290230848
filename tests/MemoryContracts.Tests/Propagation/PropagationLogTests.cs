using System.Net;
using MemoryContracts.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MemoryContracts.Tests.Propagation;

/// <summary>The log events of headers between services (docs/telemetry.md: 405; the throttling events 420–423 are in Backoff/) with the level the docs give.</summary>
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
