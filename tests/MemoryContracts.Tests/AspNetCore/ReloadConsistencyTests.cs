using System.Net;
using MemoryContracts.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts.Tests.AspNetCore;

/// <summary>
/// A reload reaches every request-path consumer at the same publish: a request reads one snapshot and
/// takes its module (the plan's routes) and its <c>X-Memory-Contract</c> from it.
/// </summary>
public sealed class ReloadConsistencyTests
{
    private static MemoryContract Contract(string version, string module) => new()
    {
        Version = version,
        Modules = [new ModuleContract { Name = module, Routes = ["/work"] }, new ModuleContract { Name = "other", Routes = ["/other"] }],
    };

    [Fact]
    public async Task InvokeAsync_ReloadsWhileRequestsRun_EachResponseModuleAndContractFromOneContract()
    {
        await using var app = await TestApp.StartAsync(
            Contract("v-alpha", "alpha"),
            a => a.MapGet("/work", TestApp.Module),
            services => services.AddSingleton<IStartupFilter>(new LoopbackCaller()));
        var source = app.Services.GetRequiredService<MemoryContractSource>();
        var client = app.GetTestClient();
        using var stop = new CancellationTokenSource();
        var seen = new HashSet<string>();
        var responses = 0;

        var reloads = Task.Run(async () =>
        {
            for (var i = 0; i < 200; i++)
            {
                // Let a few requests through under each contract, so reloads land while requests run.
                var before = Volatile.Read(ref responses);
                while (Volatile.Read(ref responses) < before + 2)
                {
                    await Task.Delay(1);
                }

                source.Replace(i % 2 == 0 ? Contract("v-beta", "beta") : Contract("v-alpha", "alpha"));
            }

            await stop.CancelAsync();
        });

        var requests = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await client.GetAsync(new Uri("/work", UriKind.Relative));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var module = await response.Content.ReadAsStringAsync();
                var contract = Assert.Single(response.Headers.GetValues("X-Memory-Contract"));
                Assert.Equal(module == "alpha" ? "v-alpha" : "v-beta", contract);
                Assert.Contains(module, new[] { "alpha", "beta" });
                lock (seen)
                {
                    seen.Add(module);
                }

                Interlocked.Increment(ref responses);
            }
        })).ToArray();

        await reloads.WaitAsync(TimeSpan.FromSeconds(60));
        await Task.WhenAll(requests).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(responses >= 400);
        Assert.Equal(["alpha", "beta"], seen.Order());
    }

    /// <summary>TestServer sets no remote address: make every request a loopback (trusted) caller, first in the pipeline.</summary>
    private sealed class LoopbackCaller : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = IPAddress.Loopback;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
