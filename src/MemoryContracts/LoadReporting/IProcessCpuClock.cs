namespace MemoryContracts;

/// <summary>The CPU time the process has used and the cores it may use: the source of ORCA's <c>cpu_utilization</c>.</summary>
internal interface IProcessCpuClock
{
    /// <summary>Gets the processor time (user and kernel) the process has used since it started.</summary>
    TimeSpan TotalProcessorTime { get; }

    /// <summary>Gets how many cores the process may use.</summary>
    int AvailableCores { get; }
}
