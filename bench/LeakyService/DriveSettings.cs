namespace LeakyService;

/// <summary>What <c>LeakyService drive</c> does (see <see cref="SurvivalDriver"/>).</summary>
/// <param name="Url">The service's base address.</param>
/// <param name="Duration">How long to drive it.</param>
/// <param name="Growth">
/// What the non-core requests do: <c>managed</c> (half cache fills, half a static leak: the heap
/// grows), <c>native</c> (<c>POST /native</c>: native memory grows) or <c>files</c> (<c>POST
/// /files/scan</c> back to back: the page cache fills).
/// </param>
/// <param name="GrowthMbPerSecond">MB per second of growth (<c>managed</c>, <c>native</c>).</param>
/// <param name="CoreRequestsPerSecond">Core orders per second.</param>
/// <param name="ScanMb">The size of each scanned file (<c>files</c>).</param>
/// <param name="ScanWrite">How the scanned files are written: <c>sync</c> or <c>buffered</c> (<c>files</c>; see <see cref="FileScan"/>).</param>
/// <param name="CgroupDirectory">A cgroup v1 memory directory whose usage and working set are followed; null for none.</param>
internal sealed record DriveSettings(Uri Url, TimeSpan Duration, string Growth, int GrowthMbPerSecond, int CoreRequestsPerSecond, int ScanMb, string ScanWrite, string? CgroupDirectory);
