namespace MemoryContracts;

/// <summary>
/// Watches the contract file and calls back once its writes settle: a <see cref="FileSystemWatcher"/>
/// for a prompt reaction, plus a poll of the file's size and time stamp every <see cref="PollInterval"/>
/// (for what watchers miss: Kubernetes ConfigMap symlink swaps, network shares, exhausted inotify
/// instances). Every signal restarts a short debounce, so an editor's several writes reload once.
/// Timers come from the injected <see cref="TimeProvider"/>.
/// </summary>
internal sealed class ContractFileWatcher : IDisposable
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(250);

    private readonly string _path;
    private readonly Action _changed;
    private readonly Action<Exception> _failed;
    private readonly ITimer _debounce;
    private readonly ITimer _poll;
    private readonly FileSystemWatcher? _watcher;
    private readonly object _gate = new();
    private (bool Exists, string? Target, DateTime WrittenUtc, long Length) _stamp;
    private bool _disposed;

    public ContractFileWatcher(string path, TimeProvider time, Action changed, Action<Exception> failed, Action<string> watcherUnavailable, bool useFileSystemWatcher = true)
    {
        _path = path;
        _changed = changed;
        _failed = failed;
        _stamp = Stamp(path);
        _debounce = time.CreateTimer(_ => Fire(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _poll = time.CreateTimer(_ => Poll(), null, PollInterval, PollInterval);
        if (!useFileSystemWatcher)
        {
            return;
        }

        try
        {
            var directory = Path.GetDirectoryName(path)!;
            _watcher = new FileSystemWatcher(directory, Path.GetFileName(path))
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            _watcher.Changed += (_, _) => Signal();
            _watcher.Created += (_, _) => Signal();
            _watcher.Deleted += (_, _) => Signal();
            _watcher.Renamed += (_, _) => Signal();
            _watcher.Error += (_, e) => watcherUnavailable(e.GetException().Message);
            _watcher.EnableRaisingEvents = true;
        }
        catch (Exception e) when (e is IOException or ArgumentException or PlatformNotSupportedException or UnauthorizedAccessException)
        {
            _watcher?.Dispose();
            _watcher = null;
            watcherUnavailable(e.Message);
        }
    }

    /// <summary>Restarts the debounce: the callback runs once no signal came for <see cref="Debounce"/>.</summary>
    public void Signal()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _debounce.Change(Debounce, Timeout.InfiniteTimeSpan);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        _watcher?.Dispose();
        _poll.Dispose();
        _debounce.Dispose();
    }

    private void Poll()
    {
        try
        {
            var stamp = Stamp(_path);
            lock (_gate)
            {
                if (stamp == _stamp)
                {
                    return;
                }

                _stamp = stamp;
            }

            Signal();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _failed(e);
        }
    }

    private void Fire()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _stamp = Stamp(_path);
        }

        try
        {
            _changed();
        }
#pragma warning disable CA1031 // A timer callback must never throw: the failure is logged and the contract in force stays.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _failed(e);
        }
    }

    /// <summary>
    /// The size and time stamp of the file the path leads to: a symbolic link is followed to its final
    /// target (whose path is part of the stamp), so a swap of the link, or of a linked directory on the
    /// way as in a ConfigMap's <c>..data</c>, is seen.
    /// </summary>
    private static (bool, string?, DateTime, long) Stamp(string path)
    {
        var file = new FileInfo(path);
        try
        {
            if (file.LinkTarget is not null && file.ResolveLinkTarget(returnFinalTarget: true) is FileInfo target)
            {
                file = target;
            }
        }
        catch (IOException)
        {
            // A link loop: stamp the link itself; the reload that follows reports the error.
        }

        return file.Exists ? (true, file.FullName, file.LastWriteTimeUtc, file.Length) : (false, null, default, 0);
    }
}
