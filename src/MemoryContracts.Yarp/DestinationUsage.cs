namespace MemoryContracts;

/// <summary>
/// What the gateway last learned from one destination: its reported usage (with the
/// <see cref="TimeProvider"/> timestamp of the report) and until when it asked not to be called.
/// Written by the response transform, read by the policies, without locks: a reader may pair one
/// report's usage with a neighbouring report's timestamp, which is harmless.
/// </summary>
internal sealed class DestinationUsage
{
    private double _usagePercent = double.NaN;
    private long _reportedAt;
    private long _rejectingUntil;

    /// <summary>Gets a value indicating whether the destination has reported its usage at least once.</summary>
    public bool HasReport => !double.IsNaN(Volatile.Read(ref _usagePercent));

    /// <summary>Gets the last reported usage, in percent (<see cref="double.NaN"/> before the first report).</summary>
    public double UsagePercent => Volatile.Read(ref _usagePercent);

    /// <summary>Gets the <see cref="TimeProvider.GetTimestamp"/> of the last report.</summary>
    public long ReportedAt => Volatile.Read(ref _reportedAt);

    /// <summary>Records a report of <paramref name="usagePercent"/> made at <paramref name="timestamp"/>.</summary>
    public void Report(double usagePercent, long timestamp)
    {
        Volatile.Write(ref _usagePercent, usagePercent);
        Volatile.Write(ref _reportedAt, timestamp);
    }

    /// <summary>Records that the destination shed a request and asked to be left alone for <paramref name="window"/>.</summary>
    public void Reject(TimeSpan window, long timestamp, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var until = timestamp + (long)(window.TotalSeconds * time.TimestampFrequency);
        Volatile.Write(ref _rejectingUntil, until);
    }

    /// <summary>
    /// Gets how much of the last rejection window is left at <paramref name="now"/>
    /// (<see cref="TimeSpan.Zero"/> when none is in force).
    /// </summary>
    public TimeSpan RejectionRemaining(long now, TimeProvider time)
    {
        var until = Volatile.Read(ref _rejectingUntil);
        return until > now ? time.GetElapsedTime(now, until) : TimeSpan.Zero;
    }
}
