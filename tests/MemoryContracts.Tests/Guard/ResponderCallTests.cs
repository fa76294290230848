using MemoryContracts.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts.Tests.Guard;

/// <summary>
/// When a responder is called (docs/responses.md): on every change of the overall level, up or down,
/// if it is named for the new level (to act) or the previous one (to undo); on the return to Normal.
/// </summary>
public sealed class ResponderCallTests
{
    [Fact]
    public async Task TickAsync_ClimbToCriticalAndBack_ResponderNamedForHighActsOnEnteringHighEitherWay()
    {
        var responder = new RecordingResponder("pause_jobs");
        var contract = TestContracts.SingleModule(1000, responses: new ResponsePolicy { Elevated = [], High = ["pause_jobs"], Critical = [] });
        await using var f = GuardFixture.Create(contract, s => s.AddSingleton<IMemoryPressureResponder>(responder));

        await f.TicksAsync(960, 3);                 // Elevated, High, Critical
        await f.TicksAsync(100, 15);                // High, Elevated, Normal: one step per 5 samples

        Assert.Equal(PressureLevel.Normal, f.Current.Level);
        Assert.Equal(
            [
                (PressureLevel.High, true),          // stepping up into High: act
                (PressureLevel.Critical, false),     // named for the previous level only: undo
                (PressureLevel.High, true),          // stepping down into High: act again
                (PressureLevel.Elevated, false),     // undo
                (PressureLevel.Normal, false),       // the return to Normal: undo
            ],
            responder.Changes.Select(c => (c.Level, c.ShouldAct("pause_jobs"))));
    }
}
