namespace MemoryContracts;

/// <summary>
/// Tells when the container limit changes between readings. The first known limit is a baseline,
/// not a change; readings whose limit is not known (a read failed, a file is garbled) are ignored,
/// so a transient failure never looks like a resize. Not thread-safe: one caller (the guard's tick).
/// </summary>
internal sealed class ContainerLimitTracker
{
    private bool _hasBaseline;
    private long? _limit;

    /// <summary>Gets the last known limit; null when none is known or the cgroup has no limit.</summary>
    public long? Limit => _limit;

    /// <summary>Observes a reading.</summary>
    /// <param name="reading">The latest reading.</param>
    /// <param name="change">The change, when this reading's limit differs from the last known one.</param>
    /// <returns>Whether the limit changed.</returns>
    public bool TryObserve(in ContainerMemoryReading reading, out ContainerLimitChange change)
    {
        change = default;
        if (!reading.IsLimitKnown)
        {
            return false;
        }

        var previous = _limit;
        var hadBaseline = _hasBaseline;
        _limit = reading.LimitBytes;
        _hasBaseline = true;
        if (!hadBaseline || previous == reading.LimitBytes)
        {
            return false;
        }

        change = new ContainerLimitChange(previous, reading.LimitBytes);
        return true;
    }
}
