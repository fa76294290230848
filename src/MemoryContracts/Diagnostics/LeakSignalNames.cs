namespace MemoryContracts;

/// <summary>
/// The names of the <see cref="LeakSignals"/> as written in health data (<c>leak_grew</c>), the
/// snapshot JSON and the <c>memory_contracts.signal</c> tag of <c>memory_contracts.leak.suspected</c>.
/// </summary>
internal static class LeakSignalNames
{
    public const string Heap = "heap";
    public const string ThreadPoolThreads = "thread_pool_threads";
    public const string Timers = "timers";

    /// <summary>The names of the signals set in <paramref name="signals"/>, in a fixed order.</summary>
    /// <returns>A new array (for health data and snapshots, not the hot path).</returns>
    public static string[] Of(LeakSignals signals)
    {
        var names = new List<string>(3);
        if ((signals & LeakSignals.Heap) != 0)
        {
            names.Add(Heap);
        }

        if ((signals & LeakSignals.ThreadPoolThreads) != 0)
        {
            names.Add(ThreadPoolThreads);
        }

        if ((signals & LeakSignals.Timers) != 0)
        {
            names.Add(Timers);
        }

        return [.. names];
    }
}
