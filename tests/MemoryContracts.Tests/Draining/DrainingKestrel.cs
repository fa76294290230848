using System.Net;
using MemoryContracts.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MemoryContracts.Tests.Draining;

/// <summary>
/// A real Kestrel service on <c>127.0.0.1</c> with MemoryContracts and manual pressure, listening on
/// two ports picked by the system: one HTTP/1.1 only, one HTTP/2 only (cleartext, prior knowledge).
/// <c>/hello</c> answers <c>hello</c>.
/// </summary>
internal sealed class DrainingKestrel : IAsyncDisposable
{
    private DrainingKestrel(WebApplication app, Uri http1, Uri http2)
    {
        App = app;
        Http1 = http1;
        Http2 = http2;
    }

    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>Gets the base address of the HTTP/1.1 endpoint.</summary>
    public Uri Http1 { get; }

    /// <summary>Gets the base address of the HTTP/2 (h2c) endpoint.</summary>
    public Uri Http2 { get; }

    public static async Task<DrainingKestrel> StartAsync(MemoryContract contract)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        ListenOptions? http1 = null;
        ListenOptions? http2 = null;
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, o =>
            {
                o.Protocols = HttpProtocols.Http1;
                http1 = o;
            });
            kestrel.Listen(IPAddress.Loopback, 0, o =>
            {
                o.Protocols = HttpProtocols.Http2;
                http2 = o;
            });
        });
        builder.Services.AddMemoryContracts(o => o.Contract = contract);
        builder.Services.AddManualPressure();

        var app = builder.Build();
        app.UseMemoryContracts();
        app.MapGet("/hello", (HttpContext context) =>
        {
            context.Response.ContentLength = 5;
            return context.Response.WriteAsync("hello");
        });
        await app.StartAsync();

        // Once bound, each endpoint's options carry the port the system picked.
        return new DrainingKestrel(app, Address(http1!), Address(http2!));
    }

    private static Uri Address(ListenOptions options) => new($"http://127.0.0.1:{options.IPEndPoint!.Port}");

    /// <summary>Publishes this service's level under its contract (after start, so it stays in force).</summary>
    public void Publish(PressureLevel level) => Services.Publish(level, usagePercent: level == PressureLevel.Critical ? 97 : 40);

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
