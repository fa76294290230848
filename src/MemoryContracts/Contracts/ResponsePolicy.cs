namespace MemoryContracts;

/// <summary>
/// What the guard does at each level (<c>responses</c> in the contract file).
/// </summary>
public sealed class ResponsePolicy
{
    /// <summary>Gets the responders run on entering <see cref="PressureLevel.Elevated"/>. The default value is <c>alert</c>, <c>trim_caches</c>.</summary>
    public IReadOnlyList<string> Elevated { get; init; } = ["alert", "trim_caches"];

    /// <summary>Gets the responders run on entering <see cref="PressureLevel.High"/>. The default value is <c>alert</c>, <c>trim_caches</c>, <c>tighten_gc</c>, <c>snapshot</c>, <c>trim_native</c>.</summary>
    public IReadOnlyList<string> High { get; init; } = ["alert", "trim_caches", "tighten_gc", "snapshot", "trim_native"];

    /// <summary>Gets the responders run on entering <see cref="PressureLevel.Critical"/>. The default value is <c>alert</c>, <c>trim_caches</c>, <c>tighten_gc</c>, <c>shed_requests</c>, <c>compact_gc</c>, <c>trim_native</c>.</summary>
    public IReadOnlyList<string> Critical { get; init; } = ["alert", "trim_caches", "tighten_gc", "shed_requests", "compact_gc", "trim_native"];

    /// <summary>Gets the fraction of each cache trimmed at each level. The default value is 0.25 / 0.5 / 1.0.</summary>
    public LevelRatios TrimFraction { get; init; } = new(0.25, 0.5, 1.0);

    /// <summary>Gets how requests are shed.</summary>
    public ShedPolicy Shed { get; init; } = new();

    /// <summary>Gets the rate limit of induced compacting collections.</summary>
    public CompactGcPolicy CompactGc { get; init; } = new();

    /// <summary>Gets where and how often diagnostic snapshots are written.</summary>
    public SnapshotPolicy Snapshot { get; init; } = new();

    /// <summary>Gets which log categories are quieted under pressure.</summary>
    public QuietLogsPolicy QuietLogs { get; init; } = new();

    /// <summary>
    /// Gets how long one responder run may take (<c>responses.timeout_seconds</c>, 1 to 300 seconds).
    /// Responders run off the sampling loop; a run still busy at its deadline has its token cancelled,
    /// is logged (event 113) and counted, and that responder is not started again until the run ends.
    /// The default value is 10 seconds.
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Gets where and how often heap dumps are written (<c>dump</c>).</summary>
    public DumpPolicy Dump { get; init; } = new();

    /// <summary>Gets the responders configured for <paramref name="level"/>; empty for <see cref="PressureLevel.Normal"/>.</summary>
    /// <param name="level">The pressure level.</param>
    /// <returns>The responder names, in order.</returns>
    public IReadOnlyList<string> For(PressureLevel level) => level switch
    {
        PressureLevel.Elevated => Elevated,
        PressureLevel.High => High,
        PressureLevel.Critical => Critical,
        _ => [],
    };
}
