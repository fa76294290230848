using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace MemoryContracts;

/// <summary>
/// <c>dump</c>: writes a heap dump (<see cref="IDumpWriter"/>, by default
/// <see cref="DiagnosticsClientDumpWriter"/> with <c>DumpType.WithHeap</c>) into <c>dump.directory</c>
/// (created 0700 when missing) or, unset, the private directory the snapshots use
/// (<see cref="PrivateDirectory.DefaultPath"/>; refused and logged when it is not private), as
/// <see cref="DumpFiles"/>, at most once per <see cref="DumpPolicy.MinInterval"/> (on the injected
/// <see cref="TimeProvider"/>, counted from the start of the last attempt), never two at once, off
/// the guard's thread (the call returns at once; <see cref="Pending"/> is the dump in progress), and
/// deletes the oldest dumps past <see cref="DumpPolicy.MaxFiles"/>. A failed dump is logged and its
/// empty or partial file deleted.
/// </summary>
internal sealed class DumpResponder : IMemoryPressureResponder
{
    /// <summary>The responder's name in the contract's <c>responses</c> lists.</summary>
    public const string ResponderName = "dump";

    private readonly IDumpWriter _writer;
    private readonly Func<MemoryContract, DumpPolicy> _policyOf;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private int _busy;
    private DateTimeOffset? _lastAttempt;
    private Task _pending = Task.CompletedTask;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="writer">Writes the dump.</param>
    /// <param name="policyOf">Reads <c>responses.dump</c> from the contract in force.</param>
    /// <param name="time">The clock for the rate limit and the file names.</param>
    /// <param name="logger">The logger.</param>
    public DumpResponder(IDumpWriter writer, Func<MemoryContract, DumpPolicy> policyOf, TimeProvider time, ILogger<DumpResponder> logger)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(policyOf);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _writer = writer;
        _policyOf = policyOf;
        _time = time;
        _logger = logger;
    }

    public string Name => ResponderName;

    /// <summary>
    /// Gets or sets the directory used when <c>dump.directory</c> is unset: private (0700, this user's,
    /// not a symbolic link) or no dump is written. The default value is <see langword="null"/>:
    /// <see cref="PrivateDirectory.DefaultPath"/>; tests point it elsewhere.
    /// </summary>
    internal string? DefaultDirectory { get; set; }

    /// <summary>Gets the path of the last dump written, or <see langword="null"/>.</summary>
    public string? LastPath { get; private set; }

    /// <summary>Gets the dump in progress, or the last one (completed; never faults).</summary>
    public Task Pending => Volatile.Read(ref _pending);

    /// <summary>Gets a value indicating whether a dump is being written.</summary>
    public bool IsWriting => Volatile.Read(ref _busy) != 0;

    public ValueTask OnLevelChangedAsync(MemoryPressureChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (!change.ShouldAct(Name))
        {
            return ValueTask.CompletedTask;
        }

        var policy = _policyOf(change.Contract) ?? throw new InvalidOperationException("the contract has no responses.dump policy");
        if (policy.MaxFiles < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(change), policy.MaxFiles, "responses.dump.max_files must be at least 1.");
        }

        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            DiagnosticsLog.DumpBusy(_logger, change.Level);
            return ValueTask.CompletedTask;
        }

        var now = _time.GetUtcNow();
        if (_lastAttempt is { } last && now - last < policy.MinInterval)
        {
            Volatile.Write(ref _busy, 0);
            DiagnosticsLog.DumpSkipped(_logger, (now - last).TotalSeconds, policy.MinInterval.TotalSeconds);
            return ValueTask.CompletedTask;
        }

        _lastAttempt = now;
        var level = change.Level;
        Volatile.Write(ref _pending, Task.Run(() => WriteAsync(policy, level, now, cancellationToken), CancellationToken.None));
        return ValueTask.CompletedTask;
    }

    private async Task WriteAsync(DumpPolicy policy, PressureLevel level, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var path = string.IsNullOrWhiteSpace(policy.Directory) ? DefaultDirectory ?? PrivateDirectory.DefaultPath : policy.Directory;
        try
        {
            string directory;
            if (string.IsNullOrWhiteSpace(policy.Directory))
            {
                directory = path;
                if (PrivateDirectory.Prepare(directory) is { } reason)
                {
                    DiagnosticsLog.DumpRefused(_logger, directory, reason);
                    return;
                }
            }
            else
            {
                directory = Path.GetFullPath(policy.Directory);
            }

            PrivateDirectory.CreateIfMissing(directory);
            path = DumpFiles.Create(directory, now);
            var started = Stopwatch.GetTimestamp();
            await _writer.WriteAsync(path, cancellationToken).ConfigureAwait(false);
            DumpFiles.Restrict(path);
            LastPath = path;
            DiagnosticsLog.DumpWritten(_logger, level, path, new FileInfo(path).Length / (1024.0 * 1024), Stopwatch.GetElapsedTime(started).TotalSeconds);

            var deleted = DumpFiles.Prune(directory, policy.MaxFiles);
            if (deleted.Count > 0)
            {
                DiagnosticsLog.DumpsPruned(_logger, deleted.Count, policy.MaxFiles, directory);
            }
        }
#pragma warning disable CA1031 // Runs detached from the guard: every failure is logged here, none may escape.
        catch (Exception e)
#pragma warning restore CA1031
        {
            DiagnosticsLog.DumpFailed(_logger, level, path, e);
            DeletePartial(path);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    private static void DeletePartial(string path)
    {
        try
        {
            if (File.Exists(path) && Path.GetFileName(path).StartsWith(DumpFiles.FilePrefix, StringComparison.Ordinal))
            {
                File.Delete(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The failure itself is logged already; a file left behind is pruned with the others.
        }
    }
}
