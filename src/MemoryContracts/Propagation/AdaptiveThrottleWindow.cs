namespace MemoryContracts;

/// <summary>
/// The calls to one downstream authority over the last <see cref="Length"/>, in one-second buckets on
/// the injected clock's timestamps: how many were made (<c>requests</c>, locally refused ones included)
/// and how many the downstream accepted (<c>accepts</c>). Old buckets drop out one second at a time, so
/// what they said fades smoothly. Recording and reading are lock-free (interlocked adds on running
/// totals); only the step to a new second takes a lock. Allocation-free after construction.
/// </summary>
internal sealed class AdaptiveThrottleWindow
{
    /// <summary>How many buckets the window holds.</summary>
    public const int BucketCount = 30;

    /// <summary>The span of the window: as Envoy's admission control and gRPC's adaptive throttler use by default.</summary>
    public static readonly TimeSpan Length = TimeSpan.FromSeconds(BucketCount);

    private readonly long _ticksPerBucket;
    private readonly long[] _requests = new long[BucketCount];
    private readonly long[] _accepts = new long[BucketCount];
    private readonly Lock _gate = new();
    private long _bucket;
    private long _totalRequests;
    private long _totalAccepts;

    /// <summary>Initializes a new window, empty, at <paramref name="timestamp"/>.</summary>
    /// <param name="timestampFrequency">The clock's <see cref="TimeProvider.TimestampFrequency"/>.</param>
    /// <param name="timestamp">The clock's <see cref="TimeProvider.GetTimestamp"/> now.</param>
    public AdaptiveThrottleWindow(long timestampFrequency, long timestamp)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(timestampFrequency);
        _ticksPerBucket = Math.Max(1, timestampFrequency * (long)Length.TotalSeconds / BucketCount);
        _bucket = timestamp / _ticksPerBucket;
    }

    /// <summary>Counts one call made at <paramref name="timestamp"/>, accepted by the downstream or not.</summary>
    public void Record(long timestamp, bool accepted)
    {
        var index = (int)(Advance(timestamp) % BucketCount);
        Interlocked.Increment(ref _requests[index]);
        Interlocked.Increment(ref _totalRequests);
        if (accepted)
        {
            Interlocked.Increment(ref _accepts[index]);
            Interlocked.Increment(ref _totalAccepts);
        }
    }

    /// <summary>The calls made and accepted within the window that ends at <paramref name="timestamp"/>.</summary>
    public (long Requests, long Accepts) Counts(long timestamp)
    {
        Advance(timestamp);
        return (Read(ref _totalRequests), Read(ref _totalAccepts));
    }

    /// <summary>Whether nothing was recorded within the window that ends at <paramref name="timestamp"/>.</summary>
    public bool IsIdle(long timestamp) => Counts(timestamp).Requests == 0;

    /// <summary>An atomic read: a plain volatile read where 64-bit reads are atomic (no interlocked instruction).</summary>
    private static long Read(ref long value) => Environment.Is64BitProcess ? Volatile.Read(ref value) : Interlocked.Read(ref value);

    /// <summary>
    /// Drops the buckets older than the window and returns the bucket of <paramref name="timestamp"/>
    /// (a timestamp read just before another thread moved on counts in the newer bucket).
    /// </summary>
    private long Advance(long timestamp)
    {
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
                    Interlocked.Add(ref _totalRequests, -Interlocked.Exchange(ref _requests[index], 0));
                    Interlocked.Add(ref _totalAccepts, -Interlocked.Exchange(ref _accepts[index], 0));
                }

                Volatile.Write(ref _bucket, bucket);
            }

            return _bucket;
        }
    }
}
