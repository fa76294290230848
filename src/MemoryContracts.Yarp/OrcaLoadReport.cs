namespace MemoryContracts;

/// <summary>
/// The two utilizations the gateway reads from an ORCA <c>endpoint-load-metrics</c> report, as ratios
/// (<c>0.68</c> = 68 %); <see cref="double.NaN"/> for one the report did not carry.
/// </summary>
internal readonly record struct OrcaLoadReport(double ApplicationUtilization, double MemUtilization);
