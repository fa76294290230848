namespace MemoryContracts.Tests.LoadReporting;

/// <summary>A CPU clock the test moves by hand, so CPU figures over a fake-time window are exact.</summary>
internal sealed class ScriptedCpuClock(int cores = 2) : IProcessCpuClock
{
    private long _ticks;

    public TimeSpan TotalProcessorTime => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

    public int AvailableCores { get; set; } = cores;

    /// <summary>Adds processor time, as if the process had used it.</summary>
    public void Use(TimeSpan time) => Interlocked.Add(ref _ticks, time.Ticks);
}
