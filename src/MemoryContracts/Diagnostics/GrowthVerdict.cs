namespace MemoryContracts;

/// <summary>
/// What a <see cref="GrowthDetector"/> concluded from its last readings.
/// </summary>
/// <param name="Suspected">Whether the readings grew as a leak does (see <see cref="GrowthDetector"/>).</param>
/// <param name="Growth">The newest reading less the oldest one of the window (negative when it shrank).</param>
/// <param name="Readings">How many readings the verdict is over (at most the window).</param>
/// <param name="GrowingSteps">How many of the <c>Readings − 1</c> steps between readings grew.</param>
/// <param name="First">The oldest reading of the window.</param>
/// <param name="Last">The newest reading.</param>
internal readonly record struct GrowthVerdict(bool Suspected, long Growth, int Readings, int GrowingSteps, long First, long Last);
