using MemoryContracts.Tests.Propagation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts.Tests.Backoff;

/// <summary>
/// The middleware marks the async flow of a core module's request (what downstream backoff reads), on
/// real Kestrel: the mark survives the request's awaits and never reaches the next request on the
/// same kept-alive connection.
/// </summary>
public sealed class CoreRequestFlowTests
{
    private static MemoryContract Contract() => new()
    {
        Modules =
        [
            new ModuleContract { Name = "catalog", Routes = ["/catalog"] },
            new ModuleContract { Name = "checkout", Core = true, Routes = ["/checkout"] },
        ],
    };

    private static async Task<string> MarkAfterAwaitAsync()
    {
        await Task.Yield();
        await Task.Delay(1);
        return CoreRequestFlow.IsActive ? "core" : "not core";
    }

    [Fact]
    public async Task Middleware_CoreThenNonCoreOnOneConnection_MarkFollowsEachRequestOnly()
    {
        await using var service = await KestrelTestService.StartAsync(
            Contract(),
            services => services.AddHttpClient(),
            app =>
            {
                app.MapGet("/checkout/mark", MarkAfterAwaitAsync);
                app.MapGet("/catalog/mark", MarkAfterAwaitAsync);
            });
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan }) { BaseAddress = service.BaseAddress };

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("core", await http.GetStringAsync(new Uri("/checkout/mark", UriKind.Relative)));
            Assert.Equal("not core", await http.GetStringAsync(new Uri("/catalog/mark", UriKind.Relative)));
        }
    }

    [Fact]
    public async Task Middleware_NoHttpClientFactory_NothingMarked()
    {
        await using var service = await KestrelTestService.StartAsync(Contract(), mapRoutes: app => app.MapGet("/checkout/mark", MarkAfterAwaitAsync));
        using var http = new HttpClient { BaseAddress = service.BaseAddress };

        Assert.Equal("not core", await http.GetStringAsync(new Uri("/checkout/mark", UriKind.Relative)));
    }

    [Fact]
    public async Task Run_NextCompletesLater_CallerFlowUnmarkedAtOnce()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var seenInside = false;

        var running = CoreRequestFlow.Run(
            async _ =>
            {
                await release.Task;
                seenInside = CoreRequestFlow.IsActive;
            },
            new DefaultHttpContext());

        Assert.False(CoreRequestFlow.IsActive);
        release.SetResult();
        await running.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(seenInside);
    }
}
