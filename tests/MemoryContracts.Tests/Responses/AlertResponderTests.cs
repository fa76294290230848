using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using MemoryContracts.Tests.Infrastructure;

namespace MemoryContracts.Tests.Responses;

public class AlertResponderTests
{
    private const long MB = 1024 * 1024;

    [Fact]
    public async Task OnLevelChanged_WorkingSetBinds_NamesTheContainerWorkingSetAndLimit()
    {
        var logger = new FakeLogger<AlertResponder>();
        var snapshot = new MemoryPressureSnapshot(PressureLevel.High, 91, 400 * MB, DateTimeOffset.UnixEpoch, [])
        {
            HeapRatio = 0.02,
            WorkingSetRatio = 0.91,
            ContainerLimitBytes = 400 * MB,
        };

        await new AlertResponder(logger).OnLevelChangedAsync(Change(PressureLevel.Elevated, snapshot), CancellationToken.None);

        var entry = logger.LatestRecord;
        Assert.Equal(200, entry.Id.Id);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.StartsWith("Memory pressure rose from Elevated to High: container working set at 91% of the 400 MB limit.", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnLevelChanged_HeapBinds_NamesTheHeapAndBudget()
    {
        var logger = new FakeLogger<AlertResponder>();
        var snapshot = new MemoryPressureSnapshot(PressureLevel.Critical, 96, 192 * MB, DateTimeOffset.UnixEpoch, [])
        {
            HeapRatio = 0.96,
            WorkingSetRatio = 0.40,
            ContainerLimitBytes = 400 * MB,
        };

        await new AlertResponder(logger).OnLevelChangedAsync(Change(PressureLevel.High, snapshot), CancellationToken.None);

        var entry = logger.LatestRecord;
        Assert.Equal(201, entry.Id.Id);
        Assert.StartsWith("Memory pressure is Critical (from High): heap at 96% of the 192 MB budget.", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnLevelChanged_EasedWithoutContainer_NamesTheHeap()
    {
        var logger = new FakeLogger<AlertResponder>();
        var snapshot = new MemoryPressureSnapshot(PressureLevel.Normal, 40, 192 * MB, DateTimeOffset.UnixEpoch, []) { HeapRatio = 0.40 };

        await new AlertResponder(logger).OnLevelChangedAsync(Change(PressureLevel.Elevated, snapshot), CancellationToken.None);

        var entry = logger.LatestRecord;
        Assert.Equal(202, entry.Id.Id);
        Assert.Equal("Memory pressure eased from Elevated to Normal: heap at 40% of the 192 MB budget.", entry.Message);
    }

    private static MemoryPressureChange Change(PressureLevel previous, MemoryPressureSnapshot snapshot) =>
        new(previous, snapshot, TestContracts.SingleModule());
}
