using MemoryContracts;

namespace ShopApi.Demo;

/// <summary>A change of the shop API's overall pressure level, as the demo saw it.</summary>
/// <param name="At">When, since the demo started.</param>
/// <param name="From">The previous level.</param>
/// <param name="To">The new level.</param>
/// <param name="UsagePercent">The heap against the budget at the change.</param>
internal sealed record LevelChange(TimeSpan At, PressureLevel From, PressureLevel To, int UsagePercent);
