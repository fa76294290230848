using System.Net;
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
