using MemoryContracts;

namespace ShopApi.Demo;

/// <summary>A change of the shop API's overall pressure level, as <c>IMemoryPressure.OnChange</c> reported it.</summary>
/// <param name="At">When, since the demo started.</param>
/// <param name="From">The previous level.</param>
/// <param name="To">The new level.</param>
/// <param name="UsagePercent">The heap against the budget at the change.</param>
/// <param name="Responders">The responses the contract names for <paramref name="To"/> (<c>MemoryContract.Responses</c>); empty for Normal.</param>
internal sealed record LevelChange(TimeSpan At, PressureLevel From, PressureLevel To, int UsagePercent, IReadOnlyList<string>? Responders = null);
