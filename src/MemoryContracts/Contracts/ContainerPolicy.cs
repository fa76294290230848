namespace MemoryContracts;

/// <summary>
/// How the container's working set is graded (<c>container</c> in the contract file): the working
/// set the kernel counts against the cgroup's memory limit, with the thresholds of
/// <see cref="EscalationPolicy.WorkingSet"/>.
/// </summary>
public sealed class ContainerPolicy
{
    /// <summary>Gets whether the working set is graded (<c>container.enabled</c>: auto, true or false). The default value is <see cref="ContainerMode.Auto"/>.</summary>
    public ContainerMode Enabled { get; init; } = ContainerMode.Auto;

    /// <summary>
    /// Gets the limit to grade the working set against instead of the cgroup's, in bytes
    /// (<c>container.limit_mb</c>); <see langword="null"/> to use the cgroup's. The default value is <see langword="null"/>.
    /// </summary>
    public long? LimitBytes { get; init; }
}
