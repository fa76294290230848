using System.Globalization;

namespace MemoryContracts;

/// <summary>
/// An immutable view of memory pressure, published by the guard. A new snapshot is published only
/// when a level or the integer usage percent changes, so readers may cache what they derive from one.
/// </summary>
public sealed class MemoryPressureSnapshot
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="level">The overall level: the highest of the process's and the modules' levels.</param>
    /// <param name="usagePercent">The process heap against the process budget, in integer percent (may exceed 100).</param>
    /// <param name="capacityBytes">The process budget in bytes.</param>
    /// <param name="timestamp">When the sample behind this snapshot was taken.</param>
    /// <param name="modules">The graded pressure of each enforced module.</param>
    public MemoryPressureSnapshot(PressureLevel level, int usagePercent, long capacityBytes, DateTimeOffset timestamp, IReadOnlyList<ModulePressure> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        Level = level;
        UsagePercent = usagePercent;
        CapacityBytes = capacityBytes;
        Timestamp = timestamp;
        Modules = modules;
    }

    /// <summary>Gets the overall level: the highest of the process's and the modules' levels.</summary>
    public PressureLevel Level { get; }

    /// <summary>
    /// Gets the binding constraint in integer percent (may exceed 100): the process heap against the
    /// process budget, or the working set against the container limit when that ratio is higher. Sent
    /// as <c>X-Memory-Usage</c>.
    /// </summary>
    public int UsagePercent { get; }

    /// <summary>
    /// Gets the capacity of the binding constraint in bytes: the process budget (the sum of the enforced
    /// modules' heap budgets, or the memory available to the process when no module sets one), or the
    /// container limit when the working-set ratio is the higher. Sent, in MB, as <c>X-Memory-Capacity</c>.
    /// </summary>
    public long CapacityBytes { get; }

    /// <summary>Gets when the sample behind this snapshot was taken.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>Gets the graded pressure of each enforced module.</summary>
    public IReadOnlyList<ModulePressure> Modules { get; }

    /// <summary>
    /// Gets the container's working set in bytes at the sample behind this snapshot (what the kernel
    /// counts against the memory limit); <see langword="null"/> when it is not known.
    /// </summary>
    public long? WorkingSetBytes { get; init; }

    /// <summary>
    /// Gets the limit the working set is graded against, in bytes: <c>container.limit_mb</c>, else the
    /// cgroup's memory limit; <see langword="null"/> when there is none.
    /// </summary>
    public long? ContainerLimitBytes { get; init; }

    /// <summary>
    /// Gets the working set against <see cref="ContainerLimitBytes"/>, as a ratio; <see langword="null"/>
    /// when the working set is not graded (no limit, or <c>container.enabled: false</c>).
    /// </summary>
    public double? WorkingSetRatio { get; init; }

    /// <summary>Gets the level of the process as a whole (heap, allocation rate and pauses against the hosted budgets).</summary>
    internal PressureLevel ProcessLevel { get; init; }

    /// <summary>Gets the process heap in bytes at the sample behind this snapshot.</summary>
    internal long HeapBytes { get; init; }

    /// <summary>Gets the process heap against the process budget, as a ratio.</summary>
    internal double HeapRatio { get; init; }

    /// <summary>
    /// Gets the fraction of eligible (non-core, non-exempt) requests to shed, in [0, 1]. 0 unless the
    /// <c>shed_requests</c> response is active and the mode is <c>enforce</c>: what the middleware acts on.
    /// </summary>
    internal double ShedFraction { get; init; }

    /// <summary>
    /// Gets the fraction the contract's shedding warrants at this level, whatever the mode: equal to
    /// <see cref="ShedFraction"/> in <c>enforce</c>; in <c>shadow</c>, what would have been shed (logged
    /// and reported, never acted on).
    /// </summary>
    internal double WouldShedFraction { get; init; }

    /// <summary>
    /// Gets a value indicating whether <c>drain_connections</c> is in force: the contract names it for
    /// this snapshot's level and the mode is <c>enforce</c> (the plan decides). Read once per request by
    /// the middleware; two field reads and an array read.
    /// </summary>
    internal bool DrainsConnections => Plan.DrainsAt[(int)Level & 3];

    /// <summary>Gets the compiled contract this snapshot was graded under; request-path consumers take everything from it.</summary>
    internal ContractPlan Plan { get; init; } = ContractPlan.Default;

    /// <summary>Gets the contract version in force, sent as <c>X-Memory-Contract</c>.</summary>
    internal string ContractVersion => Plan.Contract.Version;

    /// <summary>Gets the <c>X-Memory-Usage</c> value, formatted once per snapshot (for example <c>68%</c>).</summary>
    internal string UsageHeaderValue => _usageHeader ??= UsagePercent.ToString(CultureInfo.InvariantCulture) + "%";

    /// <summary>Gets the <c>X-Memory-Capacity</c> value in MB, formatted once per snapshot.</summary>
    internal string CapacityHeaderValue => _capacityHeader ??= (CapacityBytes / (1024 * 1024)).ToString(CultureInfo.InvariantCulture);

    /// <summary>Gets the snapshot published before the guard's first sample.</summary>
    internal static MemoryPressureSnapshot Initial { get; } = new(PressureLevel.Normal, 0, 0, DateTimeOffset.MinValue, []);

    private string? _usageHeader;
    private string? _capacityHeader;

    /// <summary>Finds a module's pressure by name (ordinal), or <see langword="null"/>.</summary>
    internal ModulePressure? FindModule(string module)
    {
        foreach (var m in Modules)
        {
            if (string.Equals(m.Module, module, StringComparison.Ordinal))
            {
                return m;
            }
        }

        return null;
    }
}
