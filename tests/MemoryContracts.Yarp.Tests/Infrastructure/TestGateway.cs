using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace MemoryContracts.Yarp.Tests.Infrastructure;

/// <summary>
/// A real YARP gateway on Kestrel (<c>127.0.0.1</c>, port 0) with in-memory config: one catch-all route
/// to cluster <c>shop</c>, whose destinations are the given backends (<c>d0</c>, <c>d1</c>, …). YARP and
/// the policies share one <see cref="FakeTimeProvider"/>, so the tests move their time by hand.
/// </summary>
internal sealed class TestGateway : IAsyncDisposable
{
    public const string ClusterId = "shop";

    private TestGateway(WebApplication app, HttpClient client, FakeTimeProvider time)
    {
        App = app;
        Client = client;
        Time = time;
    }

    public WebApplication App { get; }

    /// <summary>Gets a client that calls the gateway.</summary>
    public HttpClient Client { get; }

    public FakeTimeProvider Time { get; }

    public IServiceProvider Services => App.Services;

    public static Task<TestGateway> StartAsync(
        IReadOnlyList<ScriptedBackend> backends,
        string loadBalancingPolicy = MemoryPressurePolicyNames.MemoryPressure,
        bool passiveHealth = true,
        Action<MemoryPressureBalancingOptions>? configure = null,
        Action<WebApplicationBuilder>? configureBuilder = null,
        Action<WebApplication>? configureApp = null) =>
        StartAsync([.. backends.Select(b => b.Address)], loadBalancingPolicy, passiveHealth, configure, configureBuilder, configureApp);

    /// <param name="addresses">The destinations' addresses, <c>d0</c>, <c>d1</c>, … in order.</param>
    /// <param name="loadBalancingPolicy">The cluster's load-balancing policy.</param>
    /// <param name="passiveHealth">Whether the <c>MemoryPressure</c> passive health policy is on.</param>
    /// <param name="configure">Adjusts the balancing options.</param>
    /// <param name="configureBuilder">Adds to the gateway's services.</param>
    /// <param name="configureApp">Adds to the gateway's pipeline.</param>
    /// <param name="activeHealth">The cluster's active health checks, if any.</param>
    /// <param name="transforms">The route's transforms, if any.</param>
    public static async Task<TestGateway> StartAsync(
        IReadOnlyList<Uri> addresses,
        string loadBalancingPolicy = MemoryPressurePolicyNames.MemoryPressure,
        bool passiveHealth = true,
        Action<MemoryPressureBalancingOptions>? configure = null,
        Action<WebApplicationBuilder>? configureBuilder = null,
        Action<WebApplication>? configureApp = null,
        ActiveHealthCheckConfig? activeHealth = null,
        IReadOnlyList<IReadOnlyDictionary<string, string>>? transforms = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2025-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        builder.Services.AddSingleton<TimeProvider>(time);
        configureBuilder?.Invoke(builder);

        var route = new RouteConfig { RouteId = "all", ClusterId = ClusterId, Match = new RouteMatch { Path = "{**catch-all}" }, Transforms = transforms };
        var cluster = new ClusterConfig
        {
            ClusterId = ClusterId,
            LoadBalancingPolicy = loadBalancingPolicy,
            HealthCheck = new HealthCheckConfig
            {
                Passive = passiveHealth ? new PassiveHealthCheckConfig { Enabled = true, Policy = MemoryPressurePolicyNames.MemoryPressure } : null,
                Active = activeHealth,
            },
            Destinations = addresses
                .Select((address, i) => (Id: $"d{i}", Config: new DestinationConfig { Address = address.ToString() }))
                .ToDictionary(p => p.Id, p => p.Config),
        };
        builder.Services.AddReverseProxy()
            .LoadFromMemory([route], [cluster])
            .AddMemoryContractsBalancing(configure);

        var app = builder.Build();
        configureApp?.Invoke(app);
        app.MapReverseProxy();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var client = new HttpClient { BaseAddress = new Uri(address) };
        return new TestGateway(app, client, time);
    }

    /// <summary>Gets YARP's state of the cluster.</summary>
    public ClusterState Cluster =>
        Services.GetRequiredService<IProxyStateLookup>().TryGetCluster(ClusterId, out var cluster)
            ? cluster
            : throw new InvalidOperationException("The gateway has no cluster 'shop'.");

    /// <summary>Gets YARP's state of destination <c>d{index}</c>.</summary>
    public DestinationState Destination(int index) => Cluster.Destinations[$"d{index}"];

    /// <summary>Sends <paramref name="count"/> GETs one after another and returns their status codes.</summary>
    public async Task<int[]> GetManyAsync(int count, string path = "/work")
    {
        var statuses = new int[count];
        for (var i = 0; i < count; i++)
        {
            using var response = await Client.GetAsync(new Uri(path, UriKind.Relative));
            statuses[i] = (int)response.StatusCode;
        }

        return statuses;
    }

    /// <summary>
    /// Waits (at most 5 s of real time) for YARP to finish updating the cluster's available destinations,
    /// which it does on a thread-pool task after a health change.
    /// </summary>
    public async Task WaitForAvailableAsync(Func<IReadOnlyList<DestinationState>, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (!condition(Cluster.DestinationsState.AvailableDestinations))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The cluster's available destinations did not change within 5 s.");
            }

            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
