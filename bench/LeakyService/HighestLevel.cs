using MemoryContracts;

namespace LeakyService;

/// <summary>The highest level the guard published since start (from <see cref="IMemoryPressure.OnChange"/>, so no level is missed between two polls).</summary>
internal static class HighestLevel
{
    private static int _level;

    public static PressureLevel Value => (PressureLevel)Volatile.Read(ref _level);

    public static void Observe(PressureLevel level)
    {
        var value = (int)level;
        var seen = Volatile.Read(ref _level);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref _level, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }
}
