using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using ShopApi;
using ShopApi.Baseline;

namespace MemoryContracts.Tests.Examples;

/// <summary>
/// The shop API as Program.cs composes it (real hosting on a TestServer): OpenTelemetry through
/// <c>AddOpenTelemetry().WithMetrics</c> exports the MemoryContracts meter, and the
/// <c>--no-contracts</c> baseline serves the same endpoints without the library.
/// </summary>
public class ShopAppTests
{
    private const long GB = 1024L * 1024 * 1024;

    private static readonly MemoryContract Contract = new()
    {
        Version = "test-1",
        SamplingInterval = TimeSpan.FromMilliseconds(50),
        Modules =
        [
            new ModuleContract { Name = "catalog", MaxHeapBytes = GB, Routes = ["/catalog"] },
            new ModuleContract { Name = "checkout", MaxHeapBytes = GB, Core = true, Routes = ["/checkout"] },
            new ModuleContract { Name = "reports", MaxHeapBytes = GB, Routes = ["/reports"] },
        ],
    };

    [Fact]
    public async Task CreateApp_Started_MeterProviderExportsMemoryContractsAndAspNetCoreMetrics()
    {
        var exported = new List<Metric>();
        await using var app = Program.CreateApp([], builder =>
        {
            builder.WebHost.UseTestServer();
            builder.Logging.ClearProviders();
            builder.Services.AddMemoryContracts(options =>
            {
                options.Contract = Contract;
                options.Modules.Clear();
            });

            // Only an exporter is added here: the meters are the ones Program.cs subscribes to.
            builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddInMemoryExporter(exported));
        });
        await app.StartAsync();
        var provider = app.Services.GetRequiredService<MeterProvider>();
        using var client = app.GetTestClient();

        using var response = await client.GetAsync(new Uri("/catalog/products/42", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!(names.Contains("memory_contracts.sample.duration") && names.Contains("memory_contracts.pressure.level") && names.Contains("http.server.request.duration"))
            && DateTime.UtcNow < until)
        {
            await Task.Delay(50);
            Assert.True(provider.ForceFlush(5_000));
            lock (exported)
            {
                names.UnionWith(exported.Select(m => m.Name));
            }
        }

        Assert.Contains("memory_contracts.sample.duration", names);
        Assert.Contains("memory_contracts.pressure.level", names);
        Assert.Contains("memory_contracts.heap.utilization", names);
        Assert.Contains("http.server.request.duration", names);
        await app.StopAsync();
    }

    [Fact]
    public async Task CreateApp_NoOtlpEndpoint_FlushExportsNothingAndSucceeds()
    {
        await using var app = CreateTestApp([]);
        await app.StartAsync();

        Assert.True(app.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000));
        await app.StopAsync();
    }

    [Fact]
    public async Task CreateApp_OtlpEndpointConfigured_FlushTriesTheExporter()
    {
        // A loopback port nothing listens on: the OTLP exporter's export fails, and so the flush.
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        await using var app = CreateTestApp(["--OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:" + port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await app.StartAsync();

        Assert.False(app.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000));
        await app.StopAsync();
    }

    [Fact]
    public async Task BaselineCreate_NoContracts_ServesTheCatalogWithoutTheGuard()
    {
        await using var app = BaselineApp.Create([], builder =>
        {
            builder.WebHost.UseTestServer();
            builder.Logging.ClearProviders();
        });
        await app.StartAsync();
        using var client = app.GetTestClient();

        using var product = await client.GetAsync(new Uri("/catalog/products/42", UriKind.Relative));
        using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, product.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Null(app.Services.GetService<IMemoryPressure>());
        Assert.NotNull(app.Services.GetService<MeterProvider>());
        await app.StopAsync();
    }

    [Theory]
    [InlineData("shop-2", "shop-2")]
    [InlineData(null, null)]
    public async Task CreateApp_ReplicaSetting_EveryResponseSaysWhichReplicaSentIt(string? replica, string? expected)
    {
        await using var app = CreateTestApp(replica is null ? [] : ["--Replica=" + replica]);
        await app.StartAsync();
        using var client = app.GetTestClient();

        using var product = await client.GetAsync(new Uri("/catalog/products/42", UriKind.Relative));
        using var missing = await client.GetAsync(new Uri("/nothing-here", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, product.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(expected, product.Headers.TryGetValues("X-Replica", out var values) ? Assert.Single(values) : null);
        Assert.Equal(expected, missing.Headers.TryGetValues("X-Replica", out var more) ? Assert.Single(more) : null);
        await app.StopAsync();
    }

    [Fact]
    public async Task ReportsNativeLeak_PostedThenDeleted_HoldsNativeMemoryUntilReleased()
    {
        await using var app = CreateTestApp([]);
        await app.StartAsync();
        using var client = app.GetTestClient();

        using var leaked = await client.PostAsync(new Uri("/reports/leak/native?mb=3", UriKind.Relative), content: null);
        var status = await leaked.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();

        // Measured on this thread (the process's heap also holds what tests running beside this one allocate).
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var heldAfterOneMore = ShopApi.Reports.ReportsNativeLeak.Add(1);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        using var shown = await client.GetAsync(new Uri("/reports/leak", UriKind.Relative));
        var held = (await shown.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("nativeMb").GetInt64();
        using var released = await client.DeleteAsync(new Uri("/reports/leak", UriKind.Relative));
        var afterRelease = await released.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();

        Assert.Equal(HttpStatusCode.OK, leaked.StatusCode);
        Assert.Equal(3, status.GetProperty("nativeMb").GetInt64());
        Assert.Equal(4, heldAfterOneMore);
        Assert.Equal(4, held);

        // Native: one more MB held, and the GC heap given next to nothing for it.
        Assert.True(allocated < 64 * 1024, $"{allocated} bytes allocated on the GC heap for 1 MB");
        Assert.Equal(HttpStatusCode.OK, released.StatusCode);
        Assert.Equal(0, afterRelease.GetProperty("nativeMb").GetInt64());
        Assert.True(afterRelease.GetProperty("releasedMb").GetInt64() >= 3);
        Assert.Equal(0, ShopApi.Reports.ReportsNativeLeak.HeldMb);
        await app.StopAsync();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    [InlineData(-1)]
    public async Task ReportsNativeLeak_SizeOutOfRange_BadRequestAndNothingLeaked(int mb)
    {
        await using var app = CreateTestApp([]);
        await app.StartAsync();
        using var client = app.GetTestClient();

        using var response = await client.PostAsync(new Uri("/reports/leak/native?mb=" + mb.ToString(System.Globalization.CultureInfo.InvariantCulture), UriKind.Relative), content: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("mb must be 1 to 64", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, ShopApi.Reports.ReportsNativeLeak.HeldMb);
        await app.StopAsync();
    }

    private static WebApplication CreateTestApp(string[] args) => Program.CreateApp(args, builder =>
    {
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddMemoryContracts(options =>
        {
            options.Contract = Contract;
            options.Modules.Clear();
        });
    });
}
