using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime;
using MemoryContracts;

namespace ShopApi.Demo;

/// <summary>
/// Watches the shop API's guard through public APIs only, for the timeline:
/// <list type="bullet">
/// <item>level changes, overall and per module, from <see cref="IMemoryPressure.OnChange"/>, each with
/// the responses the contract names for the level entered (<see cref="ResponsePolicy.For"/>);</item>
/// <item>what those responses did, polled every few milliseconds (responders run off the guard's loop,
/// shortly after the change): the catalog cache's <see cref="IMemoryTrimmable.EstimatedBytes"/> dropping
/// (<c>trim_caches</c>), <see cref="GCSettings"/> changing (<c>tighten_gc</c>, <c>gc_restored</c>), a full
/// blocking collection (<see cref="GC.GetGCMemoryInfo(GCKind)"/>: <c>compact_gc</c> when the level entered
/// names it, else <c>full_gc</c>), 429s in the demo's own traffic (<c>shed_requests</c>,
/// <c>shedding_off</c>) and files appearing in the snapshot directory (<c>snapshot</c>).</item>
/// </list>
/// </summary>
internal sealed class GuardObserver : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>How long without a new 429 before shedding counts as over.</summary>
    private static readonly TimeSpan SheddingQuiet = TimeSpan.FromMilliseconds(500);

    /// <summary>The snapshot directory is listed every this many polls.</summary>
    private const int SnapshotPollEvery = 10;

    private readonly MemoryContract _contract;
    private readonly IMemoryTrimmable? _cache;
    private readonly string _snapshotDirectory;
    private readonly Func<long> _shedRequests;
    private readonly long _started;
    private readonly ConcurrentQueue<LevelChange> _changes = new();
    private readonly ConcurrentQueue<ModuleLevelChange> _moduleChanges = new();
    private readonly ConcurrentQueue<GuardAction> _actions = new();
    private readonly Dictionary<string, PressureLevel> _moduleLevels = new(StringComparer.Ordinal); // the guard's thread only
    private readonly HashSet<string> _snapshots = new(StringComparer.Ordinal); // the poll loop only
    private readonly IDisposable _subscription;

    private int _level; // written on the guard's thread
    private int _maxLevel;
    private long _peakHeap;
    private int _compactExpected;
    private int _ownCollection;
    private long _ownCollectionsUpTo = -1;

    /// <summary>Starts listening to <paramref name="pressure"/>; call <see cref="WatchAsync"/> to observe the effects.</summary>
    /// <param name="pressure">The shop API's guard.</param>
    /// <param name="contract">The contract in force (the demo's, given in code).</param>
    /// <param name="cache">The catalog's module cache, or <see langword="null"/>.</param>
    /// <param name="snapshotDirectory">The contract's <c>snapshot.directory</c>.</param>
    /// <param name="shedRequests">The 429s the demo's traffic received so far.</param>
    /// <param name="startedTimestamp">The demo's start (<see cref="Stopwatch.GetTimestamp"/>).</param>
    public GuardObserver(IMemoryPressure pressure, MemoryContract contract, IMemoryTrimmable? cache, string snapshotDirectory, Func<long> shedRequests, long startedTimestamp)
    {
        _contract = contract;
        _cache = cache;
        _snapshotDirectory = snapshotDirectory;
        _shedRequests = shedRequests;
        _started = startedTimestamp;
        _level = (int)pressure.Current.Level;
        _maxLevel = _level;
        _subscription = pressure.OnChange(OnSnapshot);
    }

    /// <summary>Gets the highest overall level seen.</summary>
    public PressureLevel MaxLevel => (PressureLevel)Volatile.Read(ref _maxLevel);

    /// <summary>Gets the highest heap seen, in bytes.</summary>
    public long PeakHeapBytes => Interlocked.Read(ref _peakHeap);

    private TimeSpan Now => Stopwatch.GetElapsedTime(_started);

    /// <summary>Takes the overall level changes seen since the last call.</summary>
    public IReadOnlyList<LevelChange> DrainChanges() => Drain(_changes);

    /// <summary>Takes the module level changes seen since the last call.</summary>
    public IReadOnlyList<ModuleLevelChange> DrainModuleChanges() => Drain(_moduleChanges);

    /// <summary>Takes the effects seen since the last call.</summary>
    public IReadOnlyList<GuardAction> DrainActions() => Drain(_actions);

    /// <summary>The demo is about to collect itself (<c>DELETE /reports/leak</c>): that collection is not the guard's.</summary>
    public void BeginOwnCollection() => Volatile.Write(ref _ownCollection, 1);

    /// <summary>The demo's own collection is over.</summary>
    public void EndOwnCollection()
    {
        Interlocked.Exchange(ref _ownCollectionsUpTo, GC.GetGCMemoryInfo(GCKind.FullBlocking).Index);
        Volatile.Write(ref _ownCollection, 0);
    }

    /// <summary>Polls the effects until <paramref name="cancellationToken"/> is canceled.</summary>
    public async Task WatchAsync(CancellationToken cancellationToken)
    {
        var state = new PollState
        {
            CacheBytes = _cache?.EstimatedBytes ?? 0,
            Latency = GCSettings.LatencyMode,
            Loh = GCSettings.LargeObjectHeapCompactionMode,
            FullGcIndex = GC.GetGCMemoryInfo(GCKind.FullBlocking).Index,
            Shed = _shedRequests(),
        };
        RememberSnapshots();
        for (var poll = 1; !cancellationToken.IsCancellationRequested; poll++)
        {
            Poll(state, listSnapshots: poll % SnapshotPollEvery == 0);
            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        // The last look: whatever happened since the previous poll still belongs to the run.
        Poll(state, listSnapshots: true);
        if (state.PendingTrim > 0)
        {
            Record("trim_caches", state.PendingTrim);
        }
    }

    public void Dispose() => _subscription.Dispose();

    private static List<T> Drain<T>(ConcurrentQueue<T> queue)
    {
        var drained = new List<T>();
        while (queue.TryDequeue(out var item))
        {
            drained.Add(item);
        }

        return drained;
    }

    /// <summary>Called on the guard's thread after each published snapshot: keep it short.</summary>
    private void OnSnapshot(MemoryPressureSnapshot snapshot)
    {
        var at = Now;
        var previous = (PressureLevel)_level;
        if (snapshot.Level != previous)
        {
            var named = _contract.Responses.For(snapshot.Level);
            _changes.Enqueue(new LevelChange(at, previous, snapshot.Level, snapshot.UsagePercent, named));
            if (named.Contains("compact_gc", StringComparer.Ordinal))
            {
                Volatile.Write(ref _compactExpected, 1);
            }

            Volatile.Write(ref _level, (int)snapshot.Level);
            if ((int)snapshot.Level > Volatile.Read(ref _maxLevel))
            {
                Volatile.Write(ref _maxLevel, (int)snapshot.Level);
            }
        }

        foreach (var module in snapshot.Modules)
        {
            var before = _moduleLevels.GetValueOrDefault(module.Module, PressureLevel.Normal);
            if (module.Level != before)
            {
                _moduleLevels[module.Module] = module.Level;
                _moduleChanges.Enqueue(new ModuleLevelChange(at, module.Module, before, module.Level, (int)Math.Round(module.HeapRatio * 100)));
            }
        }
    }

    private void Poll(PollState state, bool listSnapshots)
    {
        ObserveHeap();
        ObserveCache(state);
        ObserveGcSettings(state);
        ObserveFullCollections(state);
        ObserveShedding(state);
        if (listSnapshots)
        {
            ObserveSnapshots();
        }
    }

    private void ObserveHeap()
    {
        var heap = GC.GetTotalMemory(forceFullCollection: false);
        var seen = Interlocked.Read(ref _peakHeap);
        while (heap > seen)
        {
            var previous = Interlocked.CompareExchange(ref _peakHeap, heap, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }

    /// <summary>Only trimming takes bytes out of the module cache (no SizeLimit, long expirations): a drop is a trim, reported once it stops dropping.</summary>
    private void ObserveCache(PollState state)
    {
        if (_cache is null)
        {
            return;
        }

        var bytes = _cache.EstimatedBytes;
        if (bytes < state.CacheBytes)
        {
            state.PendingTrim += state.CacheBytes - bytes;
        }
        else if (state.PendingTrim > 0)
        {
            Record("trim_caches", state.PendingTrim);
            state.PendingTrim = 0;
        }

        state.CacheBytes = bytes;
    }

    /// <summary><c>tighten_gc</c> leaves SustainedLowLatency for Interactive and requests a large-object-heap compaction; back at Normal it restores the latency mode.</summary>
    private void ObserveGcSettings(PollState state)
    {
        var latency = GCSettings.LatencyMode;
        var loh = GCSettings.LargeObjectHeapCompactionMode;
        if (latency != state.Latency)
        {
            if (state.Latency == GCLatencyMode.SustainedLowLatency)
            {
                Record("tighten_gc", 0, "latency " + latency);
                state.Tightened = true;
            }
            else if (latency == GCLatencyMode.SustainedLowLatency)
            {
                Record("gc_restored", 0, "latency " + latency);
                state.Tightened = false;
            }
            else
            {
                Record("gc_latency", 0, latency.ToString());
            }
        }
        else if (loh == GCLargeObjectHeapCompactionMode.CompactOnce && state.Loh != loh && !state.Tightened)
        {
            // The process was not in SustainedLowLatency: the compaction request is all there is to see.
            Record("tighten_gc", 0, "LOH compaction");
            state.Tightened = true;
        }

        if ((PressureLevel)Volatile.Read(ref _level) == PressureLevel.Normal)
        {
            // Back at Normal the guard undoes the tightening: the next one is news again.
            state.Tightened = false;
        }

        state.Latency = latency;
        state.Loh = loh;
    }

    private void ObserveFullCollections(PollState state)
    {
        var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        if (info.Index <= state.FullGcIndex)
        {
            return;
        }

        state.FullGcIndex = info.Index;
        if (Volatile.Read(ref _ownCollection) == 1 || info.Index <= Interlocked.Read(ref _ownCollectionsUpTo))
        {
            return;
        }

        long freed = 0;
        foreach (var generation in info.GenerationInfo)
        {
            freed += Math.Max(0, generation.SizeBeforeBytes - generation.SizeAfterBytes);
        }

        Record(Interlocked.Exchange(ref _compactExpected, 0) == 1 ? "compact_gc" : "full_gc", freed);
    }

    private void ObserveShedding(PollState state)
    {
        var shed = _shedRequests();
        var now = Now;
        if (shed > state.Shed)
        {
            if (!state.Shedding)
            {
                Record("shed_requests", 0);
                state.Shedding = true;
            }

            state.Shed = shed;
            state.LastShedAt = now;
        }
        else if (state.Shedding && now - state.LastShedAt > SheddingQuiet)
        {
            Record("shedding_off", 0);
            state.Shedding = false;
        }
    }

    private void ObserveSnapshots()
    {
        if (!Directory.Exists(_snapshotDirectory))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(_snapshotDirectory, "*.json"))
        {
            if (_snapshots.Add(file))
            {
                Record("snapshot", 0, Path.GetFileName(file));
            }
        }
    }

    private void RememberSnapshots()
    {
        if (Directory.Exists(_snapshotDirectory))
        {
            _snapshots.UnionWith(Directory.EnumerateFiles(_snapshotDirectory, "*.json"));
        }
    }

    private void Record(string name, long bytes, string? detail = null) => _actions.Enqueue(new GuardAction(Now, name, bytes, detail));

    /// <summary>What the previous poll saw (the poll loop only).</summary>
    private sealed class PollState
    {
        public long CacheBytes { get; set; }

        public long PendingTrim { get; set; }

        public GCLatencyMode Latency { get; set; }

        public GCLargeObjectHeapCompactionMode Loh { get; set; }

        public bool Tightened { get; set; }

        public long FullGcIndex { get; set; }

        public long Shed { get; set; }

        public bool Shedding { get; set; }

        public TimeSpan LastShedAt { get; set; }
    }
}
