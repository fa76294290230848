namespace MemoryContracts;

/// <summary>
/// The calls to one downstream authority over the last <see cref="Length"/>, in one-second buckets on
/// the injected clock's timestamps: how many were made (<c>requests</c>, locally refused ones included)
/// and how many the downstream accepted (<c>accepts</c>). Old buckets drop out one second at a time, so
/// what they said fades smoothly. Recording and reading are lock-free: both counts of a bucket, and
/// of the running total, are held in one 64-bit number (requests in the low half, accepts in the high
/// half), so a call is two interlocked adds and a read sees both counts of one moment. Only the step
/// to a new second takes a lock, and within a second a timestamp is placed without a division.
/// Allocation-free after construction. A half holds 2³² − 1: 143 million calls a second to one
/// authority, sustained for the whole window, would overflow it.
/// </summary>
internal sealed class AdaptiveThrottleWindow
{
    /// <summary>How many buckets the window holds.</summary>
    public const int BucketCount = 30;

    /// <summary>The span of the window: as Envoy's admission control and gRPC's adaptive throttler use by default.</summary>
    public static readonly TimeSpan Length = TimeSpan.FromSeconds(BucketCount);

    /// <summary>One request, not accepted, in the packed form.</summary>
    private const long OneRequest = 1;

    /// <summary>One request, accepted, in the packed form.</summary>
    private const long OneAccepted = (1L << 32) | 1;

    private readonly long _ticksPerBucket;
    private readonly long[] _buckets = new long[BucketCount];
    private readonly Lock _gate = new();
    private long _bucket;
    private long _bucketEnd;
    private long _total;

    /// <summary>Initializes a new window, empty, at <paramref name="timestamp"/>.</summary>
    /// <param name="timestampFrequency">The clock's <see cref="TimeProvider.TimestampFrequency"/>.</param>
    /// <param name="timestamp">The clock's <see cref="TimeProvider.GetTimestamp"/> now.</param>
    public AdaptiveThrottleWindow(long timestampFrequency, long timestamp)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(timestampFrequency);
        _ticksPerBucket = Math.Max(1, timestampFrequency * (long)Length.TotalSeconds / BucketCount);
        _bucket = timestamp / _ticksPerBucket;
        _bucketEnd = EndOf(_bucket);
    }

    /// <summary>Counts one call made at <paramref name="timestamp"/>, accepted by the downstream or not.</summary>
    public void Record(long timestamp, bool accepted)
    {
        var index = (int)(Advance(timestamp) % BucketCount);
        var counted = accepted ? OneAccepted : OneRequest;

        // The total first: a bucket dropped between the two adds then never takes from the total a
        // count it does not hold yet, so neither half of the total ever goes below zero (a borrow
        // would cross into the other half); the count lands in the bucket that replaced it.
        Interlocked.Add(ref _total, counted);
        Interlocked.Add(ref _buckets[index], counted);
    }

    /// <summary>The calls made and accepted within the window that ends at <paramref name="timestamp"/>.</summary>
    public (long Requests, long Accepts) Counts(long timestamp)
    {
        Advance(timestamp);
        var total = Read(ref _total);
        return (total & uint.MaxValue, (long)((ulong)total >> 32));
    }

    /// <summary>Whether nothing was recorded within the window that ends at <paramref name="timestamp"/>.</summary>
    public bool IsIdle(long timestamp) => Counts(timestamp).Requests == 0;

    /// <summary>
    /// A timestamp below which every timestamp falls in <paramref name="bucket"/> or an older one: the
    /// start of the next bucket; <see cref="long.MinValue"/> (always the full path) for a bucket of
    /// negative timestamps or where the start would overflow.
    /// </summary>
    private long EndOf(long bucket) =>
        bucket >= 0 && bucket < (long.MaxValue / _ticksPerBucket) - 1 ? (bucket + 1) * _ticksPerBucket : long.MinValue;

    /// <summary>An atomic read: a plain volatile read where 64-bit reads are atomic (no interlocked instruction).</summary>
    private static long Read(ref long value) => Environment.Is64BitProcess ? Volatile.Read(ref value) : Interlocked.Read(ref value);

    /// <summary>
    /// Drops the buckets older than the window and returns the bucket of <paramref name="timestamp"/>
    /// (a timestamp read just before another thread moved on counts in the newer bucket).
    /// </summary>
    private long Advance(long timestamp)
    {
        // Within the current second (nearly every call): no division. The end is written after the
        // bucket it ends, so a reader that sees a new end sees its bucket too.
        if (timestamp < Volatile.Read(ref _bucketEnd))
        {
            return Volatile.Read(ref _bucket);
        }

        var bucket = timestamp / _ticksPerBucket;
        var current = Volatile.Read(ref _bucket);
        if (bucket <= current)
        {
            return current;
        }

        lock (_gate)
        {
            current = _bucket;
            if (bucket > current)
            {
                var expired = Math.Min(bucket - current, BucketCount);
                for (var step = 1; step <= expired; step++)
                {
                    var index = (int)((current + step) % BucketCount);
                    // Each half of the total holds at least that half of the bucket (see Record): no borrow crosses halves.
                    Interlocked.Add(ref _total, -Interlocked.Exchange(ref _buckets[index], 0));
                }

                Volatile.Write(ref _bucket, bucket);
                Volatile.Write(ref _bucketEnd, EndOf(bucket));
            }

            return _bucket;
        }
    }
}
