using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MemoryContracts.Yarp.Tests.Infrastructure;

/// <summary>
/// A real Kestrel backend on <c>127.0.0.1</c>, port 0, whose every answer is written by
/// <see cref="Respond"/> (changeable while it runs); it counts the requests it received.
/// </summary>
internal sealed class ScriptedBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _hits;

    private ScriptedBackend(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>Gets the backend's address (<c>http://127.0.0.1:port/</c>).</summary>
    public Uri Address { get; }

    /// <summary>Gets how many requests reached the backend.</summary>
    public int Hits => Volatile.Read(ref _hits);

    /// <summary>Gets or sets what the backend does with each request (status, headers); the body is its name.</summary>
    public Action<HttpResponse> Respond { get; set; } = _ => { };

    /// <summary>Gets or sets the name written in each response body.</summary>
    public string Name { get; set; } = "backend";

    public static async Task<ScriptedBackend> StartAsync(string name, Action<HttpResponse>? respond = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        ScriptedBackend? backend = null;
        app.Run(async context =>
        {
            Interlocked.Increment(ref backend!._hits);
            backend.Respond(context.Response);
            await context.Response.WriteAsync(backend.Name);
        });

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        backend = new ScriptedBackend(app, new Uri(address + "/"));
        backend.Name = name;
        if (respond is not null)
        {
            backend.Respond = respond;
        }

        return backend;
    }

    /// <summary>A script that reports <paramref name="percent"/> through <c>X-Memory-Usage</c>.</summary>
    public static Action<HttpResponse> ReportsUsage(int percent) =>
        response => response.Headers["X-Memory-Usage"] = $"{percent}%";

    /// <summary>A script that reports <paramref name="ratio"/> as the ORCA <c>application_utilization</c>.</summary>
    public static Action<HttpResponse> ReportsOrca(double ratio) =>
        response => response.Headers["endpoint-load-metrics"] = string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"TEXT application_utilization={ratio}, cpu_utilization=0.12, mem_utilization={ratio}, rps_fractional=240.5, eps=0.5");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
