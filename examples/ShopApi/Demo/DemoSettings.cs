namespace ShopApi.Demo;

/// <summary>
/// How the demo is sized and paced. <see cref="Standard"/> is what <c>--demo</c> runs (about 25 s);
/// <see cref="Fast"/> is the short version the test suite runs (a few seconds). Both size the
/// contract from the heap measured at start, so the levels are reached on any machine.
/// </summary>
internal sealed record DemoSettings
{
    /// <summary>The settings of <c>--demo</c>.</summary>
    public static DemoSettings Standard { get; } = new();

    /// <summary>The settings of <c>--demo --fast</c> and of the test.</summary>
    public static DemoSettings Fast { get; } = new()
    {
        SamplingInterval = TimeSpan.FromMilliseconds(50),
        RecoverySamples = 3,
        HeadroomMb = 64,
        ModuleBudgetMb = 16,
        FrameInterval = TimeSpan.FromMilliseconds(250),
        CalmDuration = TimeSpan.FromMilliseconds(600),
        HoldDuration = TimeSpan.FromMilliseconds(300),
        CriticalHoldDuration = TimeSpan.FromMilliseconds(800),
        LevelTimeout = TimeSpan.FromSeconds(8),
        RecoveryTimeout = TimeSpan.FromSeconds(8),
        Deadline = TimeSpan.FromSeconds(45),
        LeakRatesMbPerSecond = [24, 8, 48],
    };

    /// <summary>Gets how often the guard samples. The default value is 100 ms.</summary>
    public TimeSpan SamplingInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Gets the samples in a row below a level before the guard steps down. The default value is 5.</summary>
    public int RecoverySamples { get; init; } = 5;

    /// <summary>Gets the process budget above the heap measured at start, in MB. The default value is 192.</summary>
    public int HeadroomMb { get; init; } = 192;

    /// <summary>Gets the heap budget of modules catalog and checkout, in MB (reports gets the rest). The default value is 24.</summary>
    public int ModuleBudgetMb { get; init; } = 24;

    /// <summary>Gets how often a timeline row is produced. The default value is 500 ms.</summary>
    public TimeSpan FrameInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Gets how long traffic runs without a leak, before and after. The default value is 2 s.</summary>
    public TimeSpan CalmDuration { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets how long Elevated and High are held once reached. The default value is 1.5 s.</summary>
    public TimeSpan HoldDuration { get; init; } = TimeSpan.FromSeconds(1.5);

    /// <summary>Gets how long Critical is held (the leak keeps pushing and is shed). The default value is 3 s.</summary>
    public TimeSpan CriticalHoldDuration { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Gets how long the leak may take to reach a level before the demo gives up on it. The default value is 20 s.</summary>
    public TimeSpan LevelTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Gets how long the service may take to get back to Normal after the release. The default value is 15 s.</summary>
    public TimeSpan RecoveryTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Gets the hard limit of the whole run. The default value is 100 s.</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>
    /// Gets the leak's pace toward Elevated, High and Critical, in MB/s. Slow toward High, so the
    /// guard shows High before its predictive step sees Critical coming. The default value is 24, 8, 48.
    /// </summary>
    public IReadOnlyList<int> LeakRatesMbPerSecond { get; init; } = [24, 8, 48];

    /// <summary>Gets the pace of the background traffic, requests per second per module (catalog, checkout, reports). The default value is 80, 30, 15.</summary>
    public IReadOnlyList<int> TrafficPerSecond { get; init; } = [80, 30, 15];
}
