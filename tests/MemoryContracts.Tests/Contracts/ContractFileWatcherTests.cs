using MemoryContracts.Tests.Infrastructure;

namespace MemoryContracts.Tests.Contracts;

/// <summary>The watcher's poll and debounce, driven by a fake clock (file system events off, for determinism).</summary>
public sealed class ContractFileWatcherTests : IDisposable
{
    private readonly string _path = Path.Combine(Directory.CreateTempSubdirectory("mc-watch-").FullName, "memory_contract.yaml");
    private readonly TimerCountingTimeProvider _time = new();
    private int _calls;

    public ContractFileWatcherTests() => File.WriteAllText(_path, "a");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);

    [Fact]
    public void Poll_FileStampChanged_CallsBackOnceAfterTheDebounce()
    {
        using var watcher = new ContractFileWatcher(_path, _time, () => _calls++, e => throw e, _ => { }, useFileSystemWatcher: false);
        File.WriteAllText(_path, "ab");
        File.SetLastWriteTimeUtc(_path, DateTime.UtcNow.AddMinutes(1));

        _time.Advance(ContractFileWatcher.PollInterval);
        Assert.Equal(0, _calls);
        _time.Advance(ContractFileWatcher.Debounce);

        Assert.Equal(1, _calls);
        _time.Advance(ContractFileWatcher.PollInterval * 3);
        Assert.Equal(1, _calls);
    }

    [Fact]
    public void Poll_ConfigMapDataLinkSwapped_CallsBack()
    {
        // memory_contract.yaml -> ..data/memory_contract.yaml, ..data -> ..v1: the link itself never changes.
        var root = Path.GetDirectoryName(_path)!;
        var path = Path.Combine(root, "linked.yaml");
        var data = Path.Combine(root, "..data");
        foreach (var (version, text) in new[] { ("..v1", "a"), ("..v2", "abc") })
        {
            Directory.CreateDirectory(Path.Combine(root, version));
            File.WriteAllText(Path.Combine(root, version, "linked.yaml"), text);
        }

        Directory.CreateSymbolicLink(data, "..v1");
        File.CreateSymbolicLink(path, Path.Combine("..data", "linked.yaml"));
        using var watcher = new ContractFileWatcher(path, _time, () => _calls++, e => throw e, _ => { }, useFileSystemWatcher: false);

        Directory.Delete(data);
        Directory.CreateSymbolicLink(data, "..v2");
        _time.Advance(ContractFileWatcher.PollInterval);
        _time.Advance(ContractFileWatcher.Debounce);

        Assert.Equal(1, _calls);
    }

    [Fact]
    public void Signal_ManyInARow_CallsBackOnce()
    {
        using var watcher = new ContractFileWatcher(_path, _time, () => _calls++, e => throw e, _ => { }, useFileSystemWatcher: false);

        for (var i = 0; i < 5; i++)
        {
            watcher.Signal();
            _time.Advance(ContractFileWatcher.Debounce / 2);
        }

        Assert.Equal(0, _calls);
        _time.Advance(ContractFileWatcher.Debounce);
        Assert.Equal(1, _calls);
    }

    [Fact]
    public void Callback_Throws_ReportedNotThrown()
    {
        Exception? reported = null;
        using var watcher = new ContractFileWatcher(_path, _time, () => throw new InvalidOperationException("boom"), e => reported = e, _ => { }, useFileSystemWatcher: false);

        watcher.Signal();
        _time.Advance(ContractFileWatcher.Debounce);

        Assert.Equal("boom", reported?.Message);
    }

    [Fact]
    public void Dispose_Watcher_NoMoreCallbacks()
    {
        var watcher = new ContractFileWatcher(_path, _time, () => _calls++, e => throw e, _ => { }, useFileSystemWatcher: false);

        watcher.Dispose();
        watcher.Signal();
        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(0, _calls);
        Assert.Equal(0, _time.ActiveTimers);
    }
}
