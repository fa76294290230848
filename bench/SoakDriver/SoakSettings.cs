namespace SoakDriver;

/// <summary>What one soak run does (see <see cref="SoakRun"/>).</summary>
/// <param name="ServiceDirectory">bench/LeakyService's output folder (the apphost <c>LeakyService</c> is started from there).</param>
/// <param name="Duration">How long the chaos runs, warm-up included.</param>
/// <param name="WorkDirectory">Where the run's scratch directory is made (its contract, snapshot directory, tmpfs mount).</param>
/// <param name="Cgroup">Whether to run the service in its own memory cgroup: <c>auto</c> (when a writable cgroup v1 memory controller exists), <c>on</c> (required), <c>off</c>.</param>
/// <param name="CgroupName">The cgroup's name under /sys/fs/cgroup/memory (unique; the script passes one it can clean up).</param>
/// <param name="Clients">Concurrent load clients.</param>
/// <param name="RequestsPerSecond">All clients together, core and non-core (two thirds core).</param>
/// <param name="MaxTickLagMs">The largest tick lag that passes.</param>
/// <param name="MaxTickLagP99Ms">The largest 99th percentile of tick lag that passes.</param>
internal sealed record SoakSettings(
    string ServiceDirectory,
    TimeSpan Duration,
    string WorkDirectory,
    string Cgroup = "auto",
    string? CgroupName = null,
    int Clients = 4,
    int RequestsPerSecond = 60,
    double MaxTickLagMs = 10_000,
    double MaxTickLagP99Ms = 1_000)
{
    /// <summary>Gets the warm-up: a fifth of the run, 10 to 60 s. Baselines (threads, descriptors, memory) are taken at its end.</summary>
    public TimeSpan WarmUp => TimeSpan.FromSeconds(Math.Clamp(Duration.TotalSeconds / 5, 10, 60));

    /// <summary>Gets how long a leak stays on in each cycle (then it is released and memory is read).</summary>
    public static TimeSpan LeakOn => TimeSpan.FromSeconds(8);

    /// <summary>Gets how long each cycle waits after the release before reading memory.</summary>
    public static TimeSpan LeakSettle => TimeSpan.FromSeconds(4);

    /// <summary>Gets the leak's rate: requests per second of 1 MB each.</summary>
    public static int LeakRequestsPerSecond => 10;

    /// <summary>Gets how often the contract file is rewritten.</summary>
    public static TimeSpan ContractPeriod => TimeSpan.FromSeconds(3);

    /// <summary>Gets how long a contract change may take to show (file watcher, 1 s poll, 250 ms debounce), generous for a loaded machine.</summary>
    public static TimeSpan ContractDeadline => TimeSpan.FromSeconds(10);

    /// <summary>Gets how long the snapshot directory stays in each state.</summary>
    public static TimeSpan SnapshotFaultPeriod => TimeSpan.FromSeconds(5);

    /// <summary>Gets how long the cgroup limit stays at each value.</summary>
    public static TimeSpan CgroupSwingPeriod => TimeSpan.FromSeconds(7);
}
