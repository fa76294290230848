namespace MemoryContracts;

/// <summary>
/// Judges whether a value read once per full collection (heap left, thread count, timer count)
/// grows as a leak does, over a ring of its last <see cref="Window"/> readings. Growth is
/// suspected when all of these hold:
/// <list type="number">
/// <item>the window is full (<see cref="Window"/> readings);</item>
/// <item>the newest reading exceeds the oldest by at least the minimum growth;</item>
/// <item>no reading of the window is below the oldest (the value never fell back to where the window
/// started: a heap that grows and is then collected is not a leak);</item>
/// <item>most steps grow: more than half of the <see cref="Window"/> − 1 steps between consecutive
/// readings are increases (one saw-tooth spike is not a trend).</item>
/// </list>
/// Allocation-free; not thread-safe (one caller, the guard tick).
/// </summary>
internal sealed class GrowthDetector
{
    private readonly long[] _ring;
    private readonly long _minGrowth;
    private int _next;
    private int _count;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="window">How many readings a verdict is over; at least 2.</param>
    /// <param name="minGrowth">The least growth, newest less oldest, to suspect a leak; at least 1.</param>
    public GrowthDetector(int window, long minGrowth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(minGrowth, 1);
        _ring = new long[window];
        _minGrowth = minGrowth;
    }

    /// <summary>Gets how many readings a verdict is over.</summary>
    public int Window => _ring.Length;

    /// <summary>Gets the least growth that raises suspicion.</summary>
    public long MinGrowth => _minGrowth;

    /// <summary>Gets how many readings the window holds now.</summary>
    public int Count => _count;

    /// <summary>Adds a reading (dropping the oldest when the window is full) and judges the window.</summary>
    /// <param name="value">The reading.</param>
    /// <returns>The verdict over the window, the new reading included.</returns>
    public GrowthVerdict Add(long value)
    {
        _ring[_next] = value;
        _next = (_next + 1) % _ring.Length;
        if (_count < _ring.Length)
        {
            _count++;
        }

        return Evaluate();
    }

    /// <summary>Judges the readings the window holds now.</summary>
    /// <returns>The verdict; <c>default</c> before any reading.</returns>
    public GrowthVerdict Evaluate()
    {
        if (_count == 0)
        {
            return default;
        }

        var oldest = _count < _ring.Length ? 0 : _next;
        var first = _ring[oldest];
        var previous = first;
        var growingSteps = 0;
        var neverBelowFirst = true;
        for (var i = 1; i < _count; i++)
        {
            var value = _ring[(oldest + i) % _ring.Length];
            if (value > previous)
            {
                growingSteps++;
            }

            if (value < first)
            {
                neverBelowFirst = false;
            }

            previous = value;
        }

        var last = previous;
        var growth = last - first;
        var steps = _count - 1;
        var suspected = _count == _ring.Length
            && growth >= _minGrowth
            && neverBelowFirst
            && growingSteps * 2 > steps;
        return new GrowthVerdict(suspected, growth, _count, growingSteps, first, last);
    }

    /// <summary>Forgets every reading.</summary>
    public void Reset()
    {
        _next = 0;
        _count = 0;
    }
}
