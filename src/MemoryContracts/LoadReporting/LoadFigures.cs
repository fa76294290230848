namespace MemoryContracts;

/// <summary>The rates of one load window, as the ORCA report sends them.</summary>
/// <param name="CpuUtilization">The process's CPU time over the window against the window's length times the cores it may use.</param>
/// <param name="RequestsPerSecond">Requests per second over the window (<c>rps_fractional</c>).</param>
/// <param name="ErrorsPerSecond">5xx responses and shed requests per second over the window (<c>eps</c>).</param>
/// <param name="Sequence">Which window this is: 0 before the first has closed, then one more for each.</param>
internal readonly record struct LoadFigures(double CpuUtilization, double RequestsPerSecond, double ErrorsPerSecond, long Sequence);
