using System.Net;
using MemoryContracts.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts.Tests.Propagation;

public class CallerBypassMiddlewareTests
{
    [Fact]
    public async Task UseMemoryContracts_PressuredCaller_FlagReachesEndpointAndEndsWithTheRequest()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMemoryContracts(o => o.Contract = new MemoryContract { Modules = [new ModuleContract { Name = "catalog" }] });
        services.AddManualPressure();
        using var sp = services.BuildServiceProvider();
        sp.Publish(PressureLevel.Normal);

        var seen = new List<bool>();
        var app = new ApplicationBuilder(sp);
        app.UseMemoryContracts();
        app.Run(async _ =>
        {
            await Task.Yield();
            seen.Add(CallerCacheBypass.IsActive);
        });
        var pipeline = app.Build();

        HttpContext Request(string usage)
        {
            var context = new DefaultHttpContext { RequestServices = sp };
            context.Connection.RemoteIpAddress = IPAddress.Loopback;
            context.Request.Headers["X-Memory-Usage"] = usage;
            return context;
        }

        var afterFirst = true;
        await Task.Run(async () =>
        {
            // Two requests one after the other on one flow, as on a keep-alive connection.
            await pipeline(Request("95%"));
            afterFirst = CallerCacheBypass.IsActive;
            await pipeline(Request("10%"));
        });

        Assert.Equal([true, false], seen);
        Assert.False(afterFirst);
    }
}
