using System.Net;
using System.Text.Json;
using MemoryContracts.Tests.AspNetCore;
using MemoryContracts.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts.Tests.Dashboard;

/// <summary>
/// A <see cref="TestApp"/> with the dashboard mapped, its requests coming from <paramref name="remote"/>
/// (TestServer sets no remote address of its own).
/// </summary>
internal static class DashboardTestApp
{
    /// <summary>
    /// Starts the app, then stops the guard's loop: these tests publish the snapshots themselves, and
    /// the guard would publish its own grade over them as their clock moves.
    /// </summary>
    public static async Task<WebApplication> StartAsync(
        IPAddress? remote,
        MemoryContract? contract = null,
        FakeTimeProvider? time = null,
        Action<IServiceCollection>? services = null,
        Func<WebApplication, IEndpointConventionBuilder>? map = null)
    {
        var app = await StartWithGuardAsync(remote, contract, time, services, map);
        await app.Services.GetRequiredService<MemoryGuard>().StopAsync(CancellationToken.None);
        return app;
    }

    private static Task<WebApplication> StartWithGuardAsync(
        IPAddress? remote,
        MemoryContract? contract,
        FakeTimeProvider? time,
        Action<IServiceCollection>? services,
        Func<WebApplication, IEndpointConventionBuilder>? map) =>
        TestApp.StartAsync(
            contract ?? TestApp.Contract(),
            app =>
            {
                app.Use((context, next) =>
                {
                    context.Connection.RemoteIpAddress = remote;
                    return next(context);
                });
                if (map is null)
                {
                    app.MapMemoryContractsDashboard();
                }
                else
                {
                    map(app);
                }
            },
            services,
            time);

    public static async Task<JsonDocument> GetHistoryAsync(this WebApplication app, string path = "/memory-contracts/history")
    {
        using var response = await app.GetTestClient().GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}
