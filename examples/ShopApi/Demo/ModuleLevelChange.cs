using MemoryContracts;

namespace ShopApi.Demo;

/// <summary>A change of one module's level (<c>MemoryPressureSnapshot.Modules</c>), as <c>IMemoryPressure.OnChange</c> reported it.</summary>
/// <param name="At">When, since the demo started.</param>
/// <param name="Module">The module.</param>
/// <param name="From">The previous level.</param>
/// <param name="To">The new level.</param>
/// <param name="HeapPercent">What the module owns against its heap budget, in percent.</param>
internal sealed record ModuleLevelChange(TimeSpan At, string Module, PressureLevel From, PressureLevel To, int HeapPercent);
