namespace MemoryContracts;

/// <summary>
/// How the <c>MemoryPressure</c> load-balancing policy weighs the usage its destinations report.
/// Validated at start-up.
/// </summary>
public sealed class MemoryPressureBalancingOptions
{
    /// <summary>
    /// Gets or sets how fast a destination's last report fades: its usage counts half after this long,
    /// a quarter after twice as long, and so on, so a destination that stopped getting traffic is tried
    /// again. Between 10 ms and 1 hour. The default value is 3 seconds.
    /// </summary>
    public TimeSpan ReportHalfLife { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Gets or sets how many percentage points of (faded) usage two destinations may differ by and still
    /// count as equally pressured, in which case the one with fewer requests in flight is chosen. Between
    /// 0 and 100. The default value is 10.
    /// </summary>
    public double UsageTolerancePercent { get; set; } = 10;

    /// <summary>
    /// Gets or sets the usage above which a destination is skipped while any other destination is not
    /// above it, for as long as its report is no older than <see cref="ReportHalfLife"/>. Between 1 and
    /// 1000. The default value is 95.
    /// </summary>
    public double MaxUsagePercent { get; set; } = 95;
}
