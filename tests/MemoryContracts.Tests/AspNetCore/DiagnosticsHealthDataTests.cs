using MemoryContracts.Tests.Diagnostics;
using MemoryContracts.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MemoryContracts.Tests.AspNetCore;

/// <summary>The diagnostics in both checks' data: <c>leak_suspected</c> (and what grew) and <c>top_allocator</c>.</summary>
public sealed class DiagnosticsHealthDataTests
{
    private static readonly string[] Checks = ["memory_contracts", "memory_contracts_guard"];

    [Fact]
    public async Task HealthData_NoLeakNoProfile_LeakSuspectedFalseWithoutDetailsOrTopAllocator()
    {
        await using var app = await TestApp.StartAsync(TestApp.Contract(), _ => { });

        var report = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        foreach (var name in Checks)
        {
            var data = report.Entries[name].Data;
            Assert.Equal(false, data["leak_suspected"]);
            Assert.False(data.ContainsKey("leak_grew"));
            Assert.False(data.ContainsKey("top_allocator"));
        }
    }

    [Fact]
    public async Task HealthData_LeakSuspected_SaysWhatGrewAndByHowMuch()
    {
        var sampler = new ScriptedLeakSampler();
        await using var app = await TestApp.StartAsync(TestApp.Contract(), _ => { }, services =>
        {
            services.RemoveAll<ILeakSampler>();
            services.AddSingleton<ILeakSampler>(sampler);
        });
        sampler.Queue(100, 120, 140, 160, 180);
        var watch = app.Services.GetRequiredService<LeakWatch>();
        for (var i = 0; i < 5; i++)
        {
            watch.Tick();
        }

        var report = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        foreach (var name in Checks)
        {
            var data = report.Entries[name].Data;
            Assert.Equal(true, data["leak_suspected"]);
            Assert.Equal("heap", data["leak_grew"]);
            Assert.Equal(5, data["leak_full_gcs"]);
            Assert.Equal(80.0, data["leak_heap_growth_mb"]);
        }
    }

    [Fact]
    public async Task HealthData_ProfileHasSamples_TopAllocatorWithShare()
    {
        await using var app = await TestApp.StartAsync(TestApp.Contract(), _ => { });
        var profile = app.Services.GetRequiredService<AllocationProfiler>().Profile;
        profile.Record("System.Byte[]", 300_000);
        profile.Record("System.String", 100_000);

        var report = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        foreach (var name in Checks)
        {
            var data = report.Entries[name].Data;
            Assert.Equal("System.Byte[]", data["top_allocator"]);
            var share = Assert.IsType<double>(data["top_allocator_share"]);
            Assert.InRange(share, 0.5, 1.0);
        }
    }
}
