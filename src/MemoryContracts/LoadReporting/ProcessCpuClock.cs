namespace MemoryContracts;

/// <summary>
/// The process's own CPU clock: <see cref="Environment.CpuUsage"/> (a struct, no allocation) and
/// <see cref="Environment.ProcessorCount"/>, which already accounts for a container's CPU quota
/// (cgroup <c>cpu.max</c> / <c>cpu.cfs_quota_us</c>, rounded up), the affinity mask and
/// <c>DOTNET_PROCESSOR_COUNT</c>.
/// </summary>
internal sealed class ProcessCpuClock : IProcessCpuClock
{
    public TimeSpan TotalProcessorTime => Environment.CpuUsage.TotalTime;

    public int AvailableCores => Environment.ProcessorCount;
}
