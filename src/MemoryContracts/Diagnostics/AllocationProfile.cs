namespace MemoryContracts;

/// <summary>
/// The allocations sampled by the runtime, aggregated by type: estimated bytes
/// (<see cref="AllocationUpscaling"/>), sample count and share. Thread-safe: samples may be recorded
/// from any thread while another reads <see cref="Top"/>. Memory is bounded: at most
/// <see cref="MaxTypes"/> distinct types are kept, the samples of further types go to
/// <see cref="OtherTypes"/>. Recording a type already seen allocates nothing.
/// </summary>
internal sealed class AllocationProfile
{
    /// <summary>The default cap on distinct types.</summary>
    public const int DefaultMaxTypes = 1024;

    /// <summary>The entry that collects the samples of types beyond <see cref="MaxTypes"/>.</summary>
    public const string OtherTypes = "(other types)";

    /// <summary>The name given to a sample that carries no type name.</summary>
    public const string UnknownType = "(unknown type)";

    private readonly object _gate = new();
    private readonly Dictionary<string, Tally> _byType = new(StringComparer.Ordinal);
    private readonly Tally _other = new();
    private double _estimatedBytes;
    private long _samples;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="maxTypes">The most distinct types kept; at least 1.</param>
    public AllocationProfile(int maxTypes = DefaultMaxTypes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTypes, 1);
        MaxTypes = maxTypes;
    }

    /// <summary>Gets the most distinct types kept.</summary>
    public int MaxTypes { get; }

    /// <summary>Gets how many samples were recorded.</summary>
    public long Samples
    {
        get
        {
            lock (_gate)
            {
                return _samples;
            }
        }
    }

    /// <summary>Gets the estimated bytes allocated, all types together.</summary>
    public long EstimatedBytes
    {
        get
        {
            lock (_gate)
            {
                return (long)_estimatedBytes;
            }
        }
    }

    /// <summary>Gets how many distinct types are kept (at most <see cref="MaxTypes"/>; <see cref="OtherTypes"/> not counted).</summary>
    public int DistinctTypes
    {
        get
        {
            lock (_gate)
            {
                return _byType.Count;
            }
        }
    }

    /// <summary>Records one <c>AllocationSampled</c> event.</summary>
    /// <param name="typeName">The sampled object's type name; null or empty counts as <see cref="UnknownType"/>.</param>
    /// <param name="objectSize">The sampled object's size in bytes; a sample of a size that is not positive is ignored.</param>
    public void Record(string? typeName, long objectSize)
    {
        if (objectSize <= 0)
        {
            return;
        }

        var name = string.IsNullOrEmpty(typeName) ? UnknownType : typeName;
        var estimate = AllocationUpscaling.EstimateBytes(objectSize);
        lock (_gate)
        {
            if (!_byType.TryGetValue(name, out var tally))
            {
                if (_byType.Count < MaxTypes)
                {
                    tally = new Tally();
                    _byType.Add(name, tally);
                }
                else
                {
                    tally = _other;
                }
            }

            tally.EstimatedBytes += estimate;
            tally.Samples++;
            _estimatedBytes += estimate;
            _samples++;
        }
    }

    /// <summary>
    /// The types that allocated the most, by estimated bytes, largest first (ties by name);
    /// <see cref="OtherTypes"/> takes its place among them when it has samples.
    /// </summary>
    /// <param name="count">How many types at most; at least 0.</param>
    /// <returns>A new list (allocates: for snapshots and health data, not the hot path).</returns>
    public IReadOnlyList<AllocationTypeEstimate> Top(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_gate)
        {
            var all = new List<AllocationTypeEstimate>(_byType.Count + 1);
            foreach (var (name, tally) in _byType)
            {
                all.Add(Estimate(name, tally));
            }

            if (_other.Samples > 0)
            {
                all.Add(Estimate(OtherTypes, _other));
            }

            all.Sort(static (a, b) =>
            {
                var byBytes = b.EstimatedBytes.CompareTo(a.EstimatedBytes);
                return byBytes != 0 ? byBytes : string.CompareOrdinal(a.TypeName, b.TypeName);
            });
            if (all.Count > count)
            {
                all.RemoveRange(count, all.Count - count);
            }

            return all;
        }
    }

    /// <summary>The type that allocated the most (health data <c>top_allocator</c>), or <see langword="null"/> before any sample.</summary>
    /// <returns>The top type's estimate.</returns>
    public AllocationTypeEstimate? TopAllocator()
    {
        var top = Top(1);
        return top.Count == 0 ? null : top[0];
    }

    /// <summary>Forgets every sample.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _byType.Clear();
            _other.EstimatedBytes = 0;
            _other.Samples = 0;
            _estimatedBytes = 0;
            _samples = 0;
        }
    }

    private AllocationTypeEstimate Estimate(string name, Tally tally) =>
        new(name, (long)tally.EstimatedBytes, tally.Samples, _estimatedBytes > 0 ? tally.EstimatedBytes / _estimatedBytes : 0);

    private sealed class Tally
    {
        public double EstimatedBytes;
        public long Samples;
    }
}
