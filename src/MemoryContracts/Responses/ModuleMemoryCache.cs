using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;

namespace MemoryContracts;

/// <summary>
/// A module's <see cref="IMemoryCache"/> (from <c>AddMemoryContractCache</c>): a <see cref="MemoryCache"/>
/// whose estimated size counts as the module's heap, which the guard trims, and which refuses writes
/// (reads still work; <c>GetOrCreate</c> still returns the value) while the process or the module is
/// at <see cref="PressureLevel.High"/> or above, or while the calling service reports more than
/// <c>bypass_cache_writes_above_percent</c>.
/// </summary>
internal sealed class ModuleMemoryCache : IMemoryCache, IMemoryTrimmable
{
    /// <summary>
    /// The heap one stored entry costs beyond its value, added to every entry's declared (or
    /// estimated) size: the <see cref="MemoryCache"/>'s own entry and its dictionary node, the
    /// eviction-callback registration, and this cache's size-index node and <see cref="SizedEntry"/>.
    /// Measured on .NET 10 x64 (ModuleCacheEntryOverheadTests: 100,000 entries of Size = 64 with
    /// GC.GetTotalMemory(true) around the inserts, keys and values made beforehand): 418 bytes per
    /// entry beyond its value, the same in every run; rounded to 416. An entry with expiration tokens
    /// or callbacks of its own costs more. Without it, 200,000 such entries counted 12.8 MB while
    /// holding 88 MB.
    /// </summary>
    internal const long EntryOverheadBytes = 416;

    private readonly MemoryCache _inner;
    private readonly MemoryPressureMonitor _monitor;
    private readonly MemoryContractsMetrics _metrics;
    private readonly PostEvictionDelegate _onEvicted;
    private readonly ConcurrentDictionary<object, SizedEntry> _sizes = new();
    private long _estimatedBytes;

    public ModuleMemoryCache(string module, MemoryCache inner, MemoryPressureMonitor monitor, MemoryContractsMetrics metrics)
    {
        Module = module;
        Name = "cache:" + module;
        _inner = inner;
        _monitor = monitor;
        _metrics = metrics;
        _onEvicted = OnEvicted;
    }

    public string Module { get; }

    public string Name { get; }

    public long EstimatedBytes => Interlocked.Read(ref _estimatedBytes);

    public int Count => _inner.Count;

    /// <summary>Gets how many entries the size index holds (for tests: never more than the cache holds, but for races).</summary>
    internal int TrackedEntries => _sizes.Count;

    /// <summary>Gets a value indicating whether a write now would be refused.</summary>
    public bool RefusesWrites
    {
        get
        {
            // In shadow mode (the plan decides) a cache never refuses: observing is not acting.
            var snapshot = _monitor.Current;
            if (snapshot.Plan.IsShadow)
            {
                return false;
            }

            return CallerCacheBypass.IsActive
                || snapshot.ProcessLevel >= PressureLevel.High
                || snapshot.FindModule(Module) is { Level: >= PressureLevel.High };
        }
    }

    public bool TryGetValue(object key, out object? value) => _inner.TryGetValue(key, out value);

    public ICacheEntry CreateEntry(object key)
    {
        if (RefusesWrites)
        {
            _metrics.CacheWriteRefused(Module);
            return new RefusedCacheEntry(key);
        }

        return new TrackedCacheEntry(this, _inner.CreateEntry(key));
    }

    public void Remove(object key) => _inner.Remove(key);

    /// <summary>
    /// Compacts the cache by <paramref name="fraction"/> and accounts for what left at once (eviction
    /// callbacks run later, on the thread pool), even when the cache is already empty: whatever the
    /// index still counts for a key the cache no longer holds is released here. O(n): only ever
    /// called off the request path.
    /// </summary>
    /// <returns>
    /// The bytes of the entries that left the cache during the trim (or before it, with their eviction
    /// callbacks still pending), whether this method or an eviction callback took them off the total.
    /// </returns>
    public long Trim(double fraction)
    {
        // Taken before compacting: an eviction callback may release an entry (and drop it from
        // _sizes) before the loop below sees it, and its bytes were still freed by this trim.
        // Entries already released (Counted = 0) were freed before this trim and are not reported.
        var before = _sizes.Where(pair => Volatile.Read(ref pair.Value.Counted) == 1).ToArray();
        if (before.Length == 0)
        {
            return 0;
        }

        if (_inner.Count > 0)
        {
            _inner.Compact(Math.Clamp(fraction, 0, 1));
        }

        var remaining = new HashSet<object>(_inner.Keys);
        long freed = 0;
        foreach (var (key, entry) in before)
        {
            if (!remaining.Contains(key))
            {
                _sizes.TryRemove(new KeyValuePair<object, SizedEntry>(key, entry));
                Release(entry);
                freed += entry.Bytes;
            }
        }

        return freed;
    }

    public void Dispose() => _inner.Dispose();

    /// <summary>
    /// Stores <paramref name="entry"/> (a <see cref="MemoryCache"/> entry whose value was set) by
    /// disposing it, and counts it: its declared or estimated size plus <see cref="EntryOverheadBytes"/>.
    /// If the inner cache throws, nothing stays counted; if it rejects the entry without throwing
    /// (already expired, over its <c>SizeLimit</c>), the eviction callback it runs releases the bytes.
    /// </summary>
    internal void Commit(ICacheEntry entry)
    {
        var sized = new SizedEntry((entry.Size ?? EstimateSize(entry.Value)) + EntryOverheadBytes);
        entry.RegisterPostEvictionCallback(_onEvicted, sized);

        // Counted before the inner cache stores it: the eviction callback (which releases exactly
        // once) may run as soon as it is stored, and must never take off bytes not yet added.
        Interlocked.Add(ref _estimatedBytes, sized.Bytes);
        var key = entry.Key;
        try
        {
            entry.Dispose();
        }
        catch
        {
            Release(sized);
            throw;
        }

        // Indexed only once stored, so the index holds no more keys than the cache does. An entry
        // evicted already (its callback ran) is not indexed.
        if (Volatile.Read(ref sized.Counted) == 1)
        {
            _sizes.AddOrUpdate(key, sized, (_, previous) =>
            {
                Release(previous);
                return sized;
            });
        }
    }

    /// <summary>
    /// Estimates an entry's bytes when it has no <see cref="ICacheEntry.Size"/>: arrays of primitives and
    /// strings by length, anything else as 256 bytes. Set <c>Size</c> (in bytes) for accuracy.
    /// </summary>
    internal static long EstimateSize(object? value) => value switch
    {
        null => 0,
        string text => 22 + (2L * text.Length),
        Array array when array.GetType().GetElementType() is { IsPrimitive: true } => 24 + Buffer.ByteLength(array),
        Array array => 24 + (8L * array.LongLength),
        _ => 256,
    };

    private void OnEvicted(object key, object? value, EvictionReason reason, object? state)
    {
        var sized = (SizedEntry)state!;
        Release(sized);
        _sizes.TryRemove(new KeyValuePair<object, SizedEntry>(key, sized));
    }

    /// <summary>Takes an entry's bytes off the total, once however many paths report it gone.</summary>
    private long Release(SizedEntry entry)
    {
        if (Interlocked.Exchange(ref entry.Counted, 0) == 0)
        {
            return 0;
        }

        Interlocked.Add(ref _estimatedBytes, -entry.Bytes);
        return entry.Bytes;
    }
}
