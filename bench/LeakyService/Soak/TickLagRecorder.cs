namespace LeakyService;

/// <summary>
/// The guard's tick lag (<c>memory_contracts.tick.lag</c>), kept as counts per whole millisecond (up to
/// 60 s; later ticks in the last bucket) so the maximum and the 99th percentile come out exact to 1 ms.
/// </summary>
internal sealed class TickLagRecorder
{
    private const int Buckets = 60_001;
    private readonly long[] _counts = new long[Buckets];
    private long _total;
    private long _maxMicroseconds;

    public long Count => Interlocked.Read(ref _total);

    public double MaxMs => Interlocked.Read(ref _maxMicroseconds) / 1000.0;

    public void Record(double seconds)
    {
        var microseconds = (long)(Math.Max(0, seconds) * 1_000_000);
        Interlocked.Increment(ref _counts[Math.Min(Buckets - 1, microseconds / 1000)]);
        Interlocked.Increment(ref _total);
        var seen = Interlocked.Read(ref _maxMicroseconds);
        while (microseconds > seen)
        {
            var previous = Interlocked.CompareExchange(ref _maxMicroseconds, microseconds, seen);
            if (previous == seen)
            {
                break;
            }

            seen = previous;
        }
    }

    /// <summary>Gets the upper edge (ms) of the bucket holding the given quantile: the lag at most that share of ticks had.</summary>
    public double QuantileMs(double quantile)
    {
        var total = Count;
        if (total == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(quantile * total);
        long seen = 0;
        for (var i = 0; i < Buckets; i++)
        {
            seen += Interlocked.Read(ref _counts[i]);
            if (seen >= rank)
            {
                return Math.Min(i + 1, MaxMs);
            }
        }

        return MaxMs;
    }
}
