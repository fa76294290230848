using System.Text.Json;
using MemoryContracts.Tests.Diagnostics;
using MemoryContracts.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MemoryContracts.Tests.Responses;

/// <summary>The <c>snapshot</c> JSON carries the leak verdict (<c>leak</c>) and the allocation profile (<c>allocations</c>).</summary>
public sealed class SnapshotDiagnosticsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mc-snapshot-diag-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Snapshot_LeakSuspectedAndProfileSampled_WritesLeakAndAllocations()
    {
        var sampler = new ScriptedLeakSampler();
        var contract = TestContracts.SingleModule(1000, responses: new ResponsePolicy
        {
            Elevated = [],
            High = ["snapshot"],
            Critical = [],
            Snapshot = new SnapshotPolicy { Directory = _directory },
        });
        await using var f = GuardFixture.Create(contract, s =>
        {
            s.RemoveAll<ILeakSampler>();
            s.AddSingleton<ILeakSampler>(sampler);
        });
        sampler.Queue(100, 120, 140, 160, 180);
        var watch = f.Services.GetRequiredService<LeakWatch>();
        for (var i = 0; i < 5; i++)
        {
            watch.Tick();
        }

        var profile = f.Services.GetRequiredService<AllocationProfiler>().Profile;
        profile.Record("System.Byte[]", 300_000);
        profile.Record("System.String", 100_000);

        await f.TicksAsync(920, 2);

        var file = Assert.Single(Directory.GetFiles(_directory, "memory-snapshot-*.json"));
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(file));
        var leak = json.RootElement.GetProperty("leak");
        Assert.True(leak.GetProperty("enabled").GetBoolean());
        Assert.True(leak.GetProperty("suspected").GetBoolean());
        Assert.Equal("heap", Assert.Single(leak.GetProperty("grew").EnumerateArray()).GetString());
        Assert.Equal(5, leak.GetProperty("fullGcs").GetInt32());
        Assert.Equal(80L * 1024 * 1024, leak.GetProperty("heapBytes").GetProperty("growth").GetInt64());
        var allocations = json.RootElement.GetProperty("allocations");
        Assert.Equal(2, allocations.GetProperty("samples").GetInt64());
        Assert.Equal("System.Byte[]", allocations.GetProperty("types")[0].GetProperty("name").GetString());
    }
}
