namespace MemoryContracts;

/// <summary>
/// The last three heap readings, for the predictive step: when the heap has grown on each of the
/// last two samples, its growth rate projects where it will be a few samples from now.
/// </summary>
internal readonly record struct HeapTrend(int Count, long Heap0, long Time0, long Heap1, long Time1, long Heap2, long Time2)
{
    /// <summary>Returns the trend with one more reading (timestamps in <see cref="TimeProvider"/> ticks).</summary>
    public HeapTrend Add(long heapBytes, long timestamp) =>
        new(Math.Min(Count + 1, 3), Heap1, Time1, Heap2, Time2, heapBytes, timestamp);

    /// <summary>
    /// Projects the heap <paramref name="horizonSeconds"/> ahead from the growth rate over the last
    /// three readings; <see langword="null"/> unless the heap grew on each of the last two samples.
    /// </summary>
    public double? Project(double horizonSeconds, long timestampFrequency)
    {
        if (Count < 3 || Heap2 <= Heap1 || Heap1 <= Heap0 || Time2 <= Time0)
        {
            return null;
        }

        var seconds = (Time2 - Time0) / (double)timestampFrequency;
        var rate = (Heap2 - Heap0) / seconds;
        return Heap2 + (rate * horizonSeconds);
    }
}
