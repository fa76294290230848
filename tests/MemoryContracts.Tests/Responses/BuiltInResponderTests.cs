using System.Text.Json;
using MemoryContracts.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MemoryContracts.Tests.Responses;

public class BuiltInResponderTests
{
    [Fact]
    public async Task Snapshot_OnHigh_WritesJsonWithGcModulesTrimmablesThreadPool()
    {
        var directory = Directory.CreateTempSubdirectory("mc-snapshot-").FullName;
        try
        {
            var contract = TestContracts.SingleModule(1000, responses: new ResponsePolicy
            {
                Elevated = [],
                High = ["snapshot"],
                Critical = [],
                Snapshot = new SnapshotPolicy { Directory = directory, MinInterval = TimeSpan.FromMinutes(5) },
            });
            await using var f = GuardFixture.Create(contract, s => s.AddMemoryContractCache("app"));

            await f.TicksAsync(920, 2);

            var file = Assert.Single(Directory.GetFiles(directory, "memory-snapshot-*.json"));
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(file));
            var root = json.RootElement;
            Assert.Equal("High", root.GetProperty("level").GetString());
            Assert.True(root.GetProperty("gc").GetProperty("generations").GetArrayLength() >= 3);
            Assert.Equal("app", root.GetProperty("modules")[0].GetProperty("name").GetString());
            Assert.Equal("cache:app", root.GetProperty("largestTrimmables")[0].GetProperty("name").GetString());
            Assert.True(root.GetProperty("threadPool").GetProperty("threadCount").GetInt32() > 0);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Snapshot_WithinMinInterval_WritesOnlyOne()
    {
        var directory = Directory.CreateTempSubdirectory("mc-snapshot-").FullName;
        try
        {
            var contract = TestContracts.SingleModule(1000, escalation: new EscalationPolicy { RecoverySamples = 1 }, responses: new ResponsePolicy
            {
                Elevated = ["snapshot"],
                High = [],
                Critical = [],
                Snapshot = new SnapshotPolicy { Directory = directory, MinInterval = TimeSpan.FromSeconds(60) },
            });
            await using var f = GuardFixture.Create(contract);

            await f.TickAsync(850);
            await f.TickAsync(100);
            await f.TickAsync(850);
            Assert.Single(Directory.GetFiles(directory));

            f.Time.Advance(TimeSpan.FromSeconds(61));
            await f.TickAsync(100);
            await f.TickAsync(850);
            Assert.Equal(2, Directory.GetFiles(directory).Length);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task QuietLogs_WhileLevelHolds_RaisesCategoryMinimumThenRestores()
    {
        var contract = TestContracts.SingleModule(1000, responses: new ResponsePolicy
        {
            Elevated = ["quiet_logs"],
            High = [],
            Critical = [],
            QuietLogs = new QuietLogsPolicy { Categories = ["Noisy"], Level = LogLevel.Error },
        });
        await using var f = GuardFixture.Create(contract);
        var noisy = f.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Noisy.Component");
        var other = f.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Other");
        Assert.True(noisy.IsEnabled(LogLevel.Information));

        await f.TickAsync(850);
        Assert.False(noisy.IsEnabled(LogLevel.Warning));
        Assert.True(noisy.IsEnabled(LogLevel.Error));
        Assert.True(other.IsEnabled(LogLevel.Information));

        await f.TicksAsync(100, 5);
        Assert.Equal(PressureLevel.Normal, f.Current.Level);
        Assert.True(noisy.IsEnabled(LogLevel.Information));
    }

    [Fact]
    public async Task Alert_Transitions_LogWarningErrorAndInformation()
    {
        await using var f = GuardFixture.Create(TestContracts.SingleModule(1000, responses: new ResponsePolicy
        {
            Elevated = ["alert"],
            High = ["alert"],
            Critical = ["alert"],
        }));

        await f.TicksAsync(960, 3);
        await f.TicksAsync(100, 5);

        Assert.Equal(LogLevel.Warning, Assert.Single(f.Logs.WithEvent(200), e => e.Message.Contains("to Elevated", StringComparison.Ordinal)).Level);
        Assert.Equal(LogLevel.Error, Assert.Single(f.Logs.WithEvent(201)).Level);
        Assert.Equal(LogLevel.Information, Assert.Single(f.Logs.WithEvent(202)).Level);
    }

    [Fact]
    public async Task ShedRequests_StartAndStop_LoggedOnce()
    {
        await using var f = GuardFixture.Create(TestContracts.SingleModule(1000));

        await f.TicksAsync(960, 3);
        await f.TicksAsync(100, 5);

        Assert.Equal(LogLevel.Information, Assert.Single(f.Logs.WithEvent(240)).Level);
        Assert.Equal(LogLevel.Information, Assert.Single(f.Logs.WithEvent(241)).Level);
    }
}
