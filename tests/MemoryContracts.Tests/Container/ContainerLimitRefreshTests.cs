using MemoryContracts.Tests.Infrastructure;

namespace MemoryContracts.Tests.Container;

public class ContainerLimitRefreshTests
{
    private const long MB = 1024 * 1024;

    private static ContainerMemoryReading Limit(long? bytes) => new(100 * MB, bytes, 150 * MB, 50 * MB, IsLimitKnown: true);

    [Fact]
    public void Observe_LimitChanges_RefreshesTheRuntimeOnceAndLogs()
    {
        var logs = new FakeLoggerProvider();
        var refreshes = 0;
        var refresh = new ContainerLimitRefresh(logs.CreateLogger("test"), () => refreshes++);

        Assert.False(refresh.Observe(Limit(512 * MB)));
        Assert.False(refresh.Observe(Limit(512 * MB)));
        Assert.True(refresh.Observe(Limit(1024 * MB)));
        Assert.False(refresh.Observe(Limit(1024 * MB)));

        Assert.Equal(1, refreshes);
        var entry = Assert.Single(logs.WithEvent(505));
        Assert.Contains("512 MB", entry.Message, StringComparison.Ordinal);
        Assert.Contains("1024 MB", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Observe_RuntimeRefusesTheNewLimit_LoggedNotThrown()
    {
        var logs = new FakeLoggerProvider();
        var refresh = new ContainerLimitRefresh(logs.CreateLogger("test"), () => throw new InvalidOperationException("committed is above the new limit"));
        refresh.Observe(Limit(1024 * MB));

        Assert.True(refresh.Observe(Limit(256 * MB)));

        var entry = Assert.Single(logs.WithEvent(506));
        Assert.IsType<InvalidOperationException>(entry.Exception);
        Assert.Contains("256 MB", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Observe_ReadingWithoutKnownLimit_NoRefresh()
    {
        var refreshes = 0;
        var refresh = new ContainerLimitRefresh(refreshGcLimit: () => refreshes++);
        refresh.Observe(Limit(512 * MB));

        Assert.False(refresh.Observe(ContainerMemoryReading.Unavailable));
        Assert.False(refresh.Observe(Limit(512 * MB)));

        Assert.Equal(0, refreshes);
    }
}
