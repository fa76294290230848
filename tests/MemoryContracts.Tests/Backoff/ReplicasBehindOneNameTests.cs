using System.Net;
using System.Net.Sockets;
using MemoryContracts.Tests.Infrastructure;
using MemoryContracts.Tests.Propagation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace MemoryContracts.Tests.Backoff;

/// <summary>
/// Three real Kestrel replicas behind one name, as a Kubernetes Service puts them: the caller's
/// <c>inventory</c> client calls <c>http://inventory:8080</c>, and every connection (one per call)
/// goes to the next replica in turn. The caller, also on Kestrel, calls it from a non-core endpoint
/// (<c>/catalog/stock</c>) and from a core one (<c>/checkout/stock</c>).
/// </summary>
public sealed class ReplicasBehindOneNameTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    private static MemoryContract CallerContract() => new()
    {
        Version = "v7.3",
        Modules =
        [
            new ModuleContract { Name = "catalog", Routes = ["/catalog"] },
            new ModuleContract { Name = "checkout", Core = true, Routes = ["/checkout"] },
        ],
    };

    private static async Task<KestrelTestService[]> StartReplicasAsync()
    {
        var replicas = new KestrelTestService[3];
        for (var i = 0; i < replicas.Length; i++)
        {
            replicas[i] = await KestrelTestService.StartAsync(PropagationTestContracts.With());
            Serve(replicas[i]);
        }

        return replicas;
    }

    private static void Serve(KestrelTestService replica) => replica.Services.Publish(PressureLevel.Normal, usagePercent: 40, contractVersion: "v7.3");

    /// <summary>A replica at Critical shedding every non-core request (its <c>/echo</c>) with 429.</summary>
    private static void Shed(KestrelTestService replica) => replica.Services.Publish(PressureLevel.Critical, usagePercent: 97, shedFraction: 1, contractVersion: "v7.3");

    private static Task<KestrelTestService> StartCallerAsync(KestrelTestService[] replicas)
    {
        var next = -1;
        return KestrelTestService.StartAsync(
            CallerContract(),
            services =>
            {
                services.AddSingleton(new ThrottleRandom(new Random(42).NextDouble));
                services.AddHttpClient("inventory", c => c.BaseAddress = new Uri("http://inventory:8080/"))
                    .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
                    {
                        // One connection per call, each to the next replica: what kube-proxy does per connection.
                        PooledConnectionLifetime = TimeSpan.Zero,
                        ConnectCallback = async (context, cancellationToken) =>
                        {
                            var port = replicas[(Interlocked.Increment(ref next) & int.MaxValue) % replicas.Length].BaseAddress.Port;
                            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                            await socket.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                            return new NetworkStream(socket, ownsSocket: true);
                        },
                    });
            },
            app =>
            {
                app.MapGet("/catalog/stock", CallInventoryAsync);
                app.MapGet("/checkout/stock", CallInventoryAsync);
            });
    }

    /// <summary>What the README shows: a refusal is handled as any failed call to the downstream.</summary>
    private static async Task<string> CallInventoryAsync(IHttpClientFactory clients)
    {
        try
        {
            using var response = await clients.CreateClient("inventory").GetAsync(new Uri("/echo", UriKind.Relative));
            return response.StatusCode == HttpStatusCode.OK ? "served" : "shed";
        }
        catch (MemoryPressureRejectedException)
        {
            return "refused";
        }
    }

    private static async Task<Dictionary<string, int>> CallsAsync(KestrelTestService caller, HttpClient http, string path, int count)
    {
        var results = new Dictionary<string, int> { ["served"] = 0, ["shed"] = 0, ["refused"] = 0 };
        for (var i = 0; i < count; i++)
        {
            caller.Time.Advance(Tick);
            results[await http.GetStringAsync(new Uri(path, UriKind.Relative)).WaitAsync(TimeSpan.FromSeconds(30))]++;
        }

        return results;
    }

    private static string Describe(Dictionary<string, int> results) => string.Join(", ", results.Select(r => $"{r.Key} {r.Value}"));

    private static async Task DisposeAllAsync(KestrelTestService caller, KestrelTestService[] replicas)
    {
        await caller.DisposeAsync();
        foreach (var replica in replicas)
        {
            await replica.DisposeAsync();
        }
    }

    [Fact]
    public async Task Calls_OneOfThreeReplicasSheds_MostCallsStillSucceed()
    {
        var replicas = await StartReplicasAsync();
        var caller = await StartCallerAsync(replicas);
        try
        {
            caller.Publish(usagePercent: 30);
            using var http = new HttpClient { BaseAddress = caller.BaseAddress };
            Shed(replicas[1]);

            var results = await CallsAsync(caller, http, "/catalog/stock", 90);
            output.WriteLine($"one of three shedding, 90 calls: {Describe(results)}; hits per replica {string.Join("/", replicas.Select(r => r.Hits))}");

            Assert.True(results["served"] >= 58, string.Join(", ", results));
            Assert.True(results["refused"] <= 2, string.Join(", ", results));
            Assert.All(replicas, r => Assert.InRange(r.Hits, 25, 35));
        }
        finally
        {
            await DisposeAllAsync(caller, replicas);
        }
    }

    [Fact]
    public async Task Calls_AllThreeShed_NonCoreRefusedLocallyCoreStillGoesOutThenBack()
    {
        var replicas = await StartReplicasAsync();
        var caller = await StartCallerAsync(replicas);
        try
        {
            caller.Publish(usagePercent: 30);
            using var http = new HttpClient { BaseAddress = caller.BaseAddress };
            Assert.Equal(30, (await CallsAsync(caller, http, "/catalog/stock", 30))["served"]);

            foreach (var replica in replicas)
            {
                Shed(replica);
            }

            var hits = replicas.Sum(r => r.Hits);
            var shedding = await CallsAsync(caller, http, "/catalog/stock", 300);
            output.WriteLine($"all three shedding, 300 non-core calls (30 s): {Describe(shedding)}");
            Assert.True(shedding["refused"] >= 150, string.Join(", ", shedding));
            Assert.Equal(0, shedding["served"]);
            Assert.Equal(hits + shedding["shed"], replicas.Sum(r => r.Hits));

            // A core request's calls still go out (a non-core one is refused 9 times in 10 here): only the
            // downstream may refuse them, and it does.
            var beforeCore = replicas.Sum(r => r.Hits);
            var core = await CallsAsync(caller, http, "/checkout/stock", 20);
            output.WriteLine($"then 20 core calls: {Describe(core)}");
            Assert.Equal(20, core["shed"]);
            Assert.Equal(beforeCore + 20, replicas.Sum(r => r.Hits));

            foreach (var replica in replicas)
            {
                Serve(replica);
            }

            var firstSeconds = await CallsAsync(caller, http, "/catalog/stock", 50);
            var rest = await CallsAsync(caller, http, "/catalog/stock", 550);
            var last = await CallsAsync(caller, http, "/catalog/stock", 100);
            output.WriteLine($"serving again, first 5 s: {Describe(firstSeconds)}; next 55 s: {Describe(rest)}; last 10 s: {Describe(last)}");

            // Back gradually: still mostly refused in the first five seconds, all served at the end.
            Assert.True(firstSeconds["refused"] >= 25, string.Join(", ", firstSeconds));
            Assert.True(rest["served"] > firstSeconds["served"], string.Join(", ", rest));
            Assert.Equal(100, last["served"]);
        }
        finally
        {
            await DisposeAllAsync(caller, replicas);
        }
    }
}
