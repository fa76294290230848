using MemoryContracts.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MemoryContracts.Tests.Propagation;

/// <summary>
/// A real Kestrel service on <c>127.0.0.1</c>, port 0, with MemoryContracts (contract in code,
/// manual pressure), <c>UseMemoryContracts()</c>, and the routes the tests call.
/// </summary>
internal sealed class KestrelTestService : IAsyncDisposable
{
    private int _hits;

    private KestrelTestService(WebApplication app, Uri baseAddress, FakeTimeProvider time)
    {
        App = app;
        BaseAddress = baseAddress;
        Time = time;
    }

    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

    public Uri BaseAddress { get; }

    public FakeTimeProvider Time { get; }

    /// <summary>Gets how many requests reached this service.</summary>
    public int Hits => Volatile.Read(ref _hits);

    public static async Task<KestrelTestService> StartAsync(
        MemoryContract contract,
        Action<IServiceCollection>? configureServices = null,
        Action<WebApplication>? mapRoutes = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var time = new FakeTimeProvider();
        builder.Services.AddMemoryContracts(o => o.Contract = contract);
        builder.Services.AddManualPressure(time);
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        KestrelTestService? service = null;
        app.Use((context, next) =>
        {
            Interlocked.Increment(ref service!._hits);
            return next(context);
        });
        app.UseMemoryContracts();
        MapEcho(app);
        mapRoutes?.Invoke(app);

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        service = new KestrelTestService(app, new Uri(address), time);
        return service;
    }

    /// <summary>Publishes this service's pressure (after start, so it stays in force).</summary>
    public MemoryPressureSnapshot Publish(int usagePercent, long capacityMb = 2048, PressureLevel level = PressureLevel.Normal) =>
        Services.Publish(level, usagePercent, capacityBytes: capacityMb * 1024 * 1024, contractVersion: "v7.3");

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }

    /// <summary>
    /// <c>/echo</c> answers, one <c>key=value</c> per line, the X-Memory-* headers it received, what
    /// the inbound hook made of them, and whether the caller-bypass flag reached the endpoint.
    /// </summary>
    private static void MapEcho(WebApplication app) =>
        app.MapGet("/echo", (HttpContext context) =>
        {
            var caller = context.Features.Get<IMemoryPressureFeature>()!;
            var headers = context.Request.Headers;
            var body = string.Join('\n',
                $"usage={headers["X-Memory-Usage"]}",
                $"capacity={headers["X-Memory-Capacity"]}",
                $"contract={headers["X-Memory-Contract"]}",
                $"callerUsage={caller.CallerUsagePercent}",
                $"callerContract={caller.CallerContract}",
                $"bypass={caller.BypassCacheWrites}",
                $"bypassActive={CallerCacheBypass.IsActive}");
            return Results.Text(body);
        });

    /// <summary>Reads an <c>/echo</c> body into a dictionary.</summary>
    public static Dictionary<string, string> ParseEcho(string body) =>
        body.Split('\n').Select(line => line.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
}
