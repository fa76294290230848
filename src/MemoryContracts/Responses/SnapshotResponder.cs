using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace MemoryContracts;

/// <summary>
/// <c>snapshot</c>: writes a JSON diagnostic snapshot — GC info by generation, module ratios, the
/// largest trimmables, thread-pool counts, the leak verdict (<c>leak</c>) and the allocation profile
/// (<c>allocations</c>) — to <c>snapshot.directory</c>, at most once per
/// <c>snapshot.min_interval_seconds</c>. When unset, to a private 0700 directory under the temp
/// directory (<see cref="PrivateDirectory.DefaultPath"/>), refused (and logged) if that path is not
/// private. Each file is created new with a random name part and mode 0600: never overwriting,
/// never following a symbolic link; a write that fails (a full disk, the host stopping) deletes it.
/// </summary>
internal sealed class SnapshotResponder : IMemoryPressureResponder
{
    private const int LargestTrimmables = 10;
    private static readonly string[] GenerationNames = ["gen0", "gen1", "gen2", "loh", "poh"];

    private readonly TrimmableRegistry _registry;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DiagnosticsState _diagnostics;
    private DateTimeOffset? _last;

    public SnapshotResponder(TrimmableRegistry registry, TimeProvider time, DiagnosticsState diagnostics, ILogger<SnapshotResponder> logger)
    {
        _registry = registry;
        _diagnostics = diagnostics;
        _time = time;
        _logger = logger;
    }

    public string Name => BuiltInResponders.Snapshot;

    /// <summary>
    /// Gets or sets the directory used when <c>snapshot.directory</c> is unset: private (0700, this
    /// user's, not a symbolic link) or no snapshot is written. The default value is
    /// <see langword="null"/>: <see cref="PrivateDirectory.DefaultPath"/>; tests point it elsewhere.
    /// </summary>
    internal string? DefaultDirectory { get; set; }

    /// <summary>Gets the path of the last snapshot written, or <see langword="null"/>.</summary>
    public string? LastPath { get; private set; }

    public async ValueTask OnLevelChangedAsync(MemoryPressureChange change, CancellationToken cancellationToken)
    {
        if (!change.ShouldAct(Name))
        {
            return;
        }

        var now = _time.GetUtcNow();
        var policy = change.Contract.Responses.Snapshot;
        if (_last is { } last && now - last < policy.MinInterval)
        {
            ResponsesLog.SnapshotSkipped(_logger, (now - last).TotalSeconds, policy.MinInterval.TotalSeconds);
            return;
        }

        _last = now;
        string directory;
        if (string.IsNullOrEmpty(policy.Directory))
        {
            directory = DefaultDirectory ?? PrivateDirectory.DefaultPath;
            if (PrivateDirectory.Prepare(directory) is { } reason)
            {
                ResponsesLog.SnapshotRefused(_logger, directory, reason);
                return;
            }
        }
        else
        {
            directory = policy.Directory;
            PrivateDirectory.CreateIfMissing(directory);
        }

        var prefix = string.Create(CultureInfo.InvariantCulture, $"memory-snapshot-{now:yyyyMMdd'T'HHmmssfff'Z'}-{Environment.ProcessId}");
        var stream = PrivateDirectory.CreateUnique(directory, prefix, ".json", out var path);
        try
        {
            await using (stream.ConfigureAwait(false))
            {
                var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
                await using (writer.ConfigureAwait(false))
                {
                    Write(writer, change, now);
                    await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch
        {
            // A full disk or a stopping host: no empty or truncated snapshot is left behind. The
            // failure itself goes on to the guard, which logs and counts it (ResponderFailed).
            DeletePartial(path);
            throw;
        }

        LastPath = path;
        ResponsesLog.SnapshotWritten(_logger, change.Level, path);
    }

    private static void DeletePartial(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing more to do: the write's own failure is what gets reported.
        }
    }

    private void Write(Utf8JsonWriter writer, MemoryPressureChange change, DateTimeOffset now)
    {
        var snapshot = change.Snapshot;
        writer.WriteStartObject();
        writer.WriteString("timestamp", now);
        writer.WriteString("contract", change.Contract.Version);
        writer.WriteString("level", snapshot.Level.ToString());
        writer.WriteString("previousLevel", change.PreviousLevel.ToString());
        writer.WriteNumber("usagePercent", snapshot.UsagePercent);
        writer.WriteNumber("budgetBytes", snapshot.CapacityBytes);
        writer.WriteNumber("heapBytes", GC.GetTotalMemory(forceFullCollection: false));
        WriteContainer(writer, snapshot);

        var info = GC.GetGCMemoryInfo(GCKind.Any);
        writer.WriteStartObject("gc");
        writer.WriteNumber("index", info.Index);
        writer.WriteNumber("generation", info.Generation);
        writer.WriteBoolean("compacted", info.Compacted);
        writer.WriteBoolean("concurrent", info.Concurrent);
        writer.WriteNumber("heapSizeBytes", info.HeapSizeBytes);
        writer.WriteNumber("committedBytes", info.TotalCommittedBytes);
        writer.WriteNumber("fragmentedBytes", info.FragmentedBytes);
        writer.WriteNumber("totalAvailableMemoryBytes", info.TotalAvailableMemoryBytes);
        writer.WriteNumber("highMemoryLoadThresholdBytes", info.HighMemoryLoadThresholdBytes);
        writer.WriteNumber("memoryLoadBytes", info.MemoryLoadBytes);
        writer.WriteNumber("pauseTimePercentage", info.PauseTimePercentage);
        writer.WriteNumber("totalPauseMs", GC.GetTotalPauseDuration().TotalMilliseconds);
        writer.WriteStartArray("generations");
        var generations = info.GenerationInfo;
        for (var i = 0; i < generations.Length; i++)
        {
            writer.WriteStartObject();
            writer.WriteString("name", i < GenerationNames.Length ? GenerationNames[i] : "gen" + i.ToString(CultureInfo.InvariantCulture));
            writer.WriteNumber("collections", i <= GC.MaxGeneration ? GC.CollectionCount(i) : 0);
            writer.WriteNumber("sizeBeforeBytes", generations[i].SizeBeforeBytes);
            writer.WriteNumber("sizeAfterBytes", generations[i].SizeAfterBytes);
            writer.WriteNumber("fragmentationBeforeBytes", generations[i].FragmentationBeforeBytes);
            writer.WriteNumber("fragmentationAfterBytes", generations[i].FragmentationAfterBytes);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();

        writer.WriteStartArray("modules");
        foreach (var module in snapshot.Modules)
        {
            writer.WriteStartObject();
            writer.WriteString("name", module.Module);
            writer.WriteString("level", module.Level.ToString());
            writer.WriteNumber("heapRatio", module.HeapRatio);
            writer.WriteNumber("allocRateRatio", module.AllocRateRatio);
            writer.WriteNumber("gcPauseRatio", module.GcPauseRatio);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();

        writer.WriteStartArray("largestTrimmables");
        var largest = _registry.Entries
            .Select(e => (Entry: e, Bytes: _registry.EstimatedBytesOf(e)))
            .OrderByDescending(e => e.Bytes)
            .Take(LargestTrimmables);
        foreach (var (entry, bytes) in largest)
        {
            writer.WriteStartObject();
            writer.WriteString("name", TrimmableRegistry.NameOf(entry.Trimmable));
            writer.WriteString("module", entry.Module);
            writer.WriteNumber("estimatedBytes", bytes);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();

        ThreadPool.GetAvailableThreads(out var availableWorkers, out var availableIo);
        ThreadPool.GetMaxThreads(out var maxWorkers, out var maxIo);
        writer.WriteStartObject("threadPool");
        writer.WriteNumber("threadCount", ThreadPool.ThreadCount);
        writer.WriteNumber("pendingWorkItems", ThreadPool.PendingWorkItemCount);
        writer.WriteNumber("completedWorkItems", ThreadPool.CompletedWorkItemCount);
        writer.WriteNumber("busyWorkerThreads", maxWorkers - availableWorkers);
        writer.WriteNumber("busyIoThreads", maxIo - availableIo);
        writer.WriteEndObject();

        _diagnostics.WriteJson(writer);

        writer.WriteEndObject();
    }

    /// <summary>
    /// The container's figures: working set, the limit it is graded against, their ratio, and an
    /// estimate of the memory outside the GC (working set − GC committed bytes: native allocations,
    /// thread stacks, mapped files); <c>null</c> outside a memory cgroup.
    /// </summary>
    private static void WriteContainer(Utf8JsonWriter writer, MemoryPressureSnapshot snapshot)
    {
        if (snapshot.WorkingSetBytes is not { } workingSet)
        {
            writer.WriteNull("container");
            return;
        }

        writer.WriteStartObject("container");
        writer.WriteNumber("workingSetBytes", workingSet);
        if (snapshot.ContainerLimitBytes is { } limit)
        {
            writer.WriteNumber("limitBytes", limit);
        }
        else
        {
            writer.WriteNull("limitBytes");
        }

        if (snapshot.WorkingSetRatio is { } ratio)
        {
            writer.WriteNumber("workingSetRatio", ratio);
        }
        else
        {
            writer.WriteNull("workingSetRatio");
        }

        writer.WriteNumber("nativeEstimateBytes", Math.Max(0, workingSet - GC.GetGCMemoryInfo().TotalCommittedBytes));
        writer.WriteEndObject();
    }
}
