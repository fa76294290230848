namespace MemoryContracts.Tests.Fuzzing;

/// <summary>
/// Per-input parse times in nanoseconds, in constant memory: log buckets 1 % wide (so a p99 is read
/// within 1 %), and the exact maximum. Millions of inputs cost a few kilobytes.
/// </summary>
internal sealed class LatencyHistogram
{
    private const double BucketsPerE = 100;
    private readonly long[] _buckets = new long[3000];

    public long Count { get; private set; }

    /// <summary>Gets the longest time recorded, in nanoseconds.</summary>
    public double MaxNanoseconds { get; private set; }

    /// <summary>Gets the longest time of an input at its fastest of the calls made when it was over the bound (what the bound is checked against).</summary>
    public double MaxJudgedNanoseconds { get; private set; }

    public void RecordJudged(double nanoseconds) => MaxJudgedNanoseconds = Math.Max(MaxJudgedNanoseconds, nanoseconds);

    public void Record(double nanoseconds)
    {
        var index = (int)Math.Min(_buckets.Length - 1, Math.Log(Math.Max(nanoseconds, 0) + 1) * BucketsPerE);
        _buckets[index]++;
        Count++;
        MaxNanoseconds = Math.Max(MaxNanoseconds, nanoseconds);
    }

    /// <summary>The time, in nanoseconds, that <paramref name="quantile"/> of the inputs took at most (the upper edge of its bucket).</summary>
    public double Quantile(double quantile)
    {
        if (Count == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(quantile * Count);
        long seen = 0;
        for (var i = 0; i < _buckets.Length; i++)
        {
            seen += _buckets[i];
            if (seen >= rank)
            {
                return Math.Min(Math.Exp((i + 1) / BucketsPerE) - 1, MaxNanoseconds);
            }
        }

        return MaxNanoseconds;
    }
}
