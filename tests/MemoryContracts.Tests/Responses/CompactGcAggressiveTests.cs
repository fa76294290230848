using MemoryContracts.Tests.Infrastructure;

namespace MemoryContracts.Tests.Responses;

/// <summary><c>compact_gc</c> at Critical is <see cref="GCCollectionMode.Aggressive"/> (DESIGN §9); below, Forced.</summary>
public class CompactGcAggressiveTests
{
    [Fact]
    public async Task TickAsync_CompactGcAtElevated_NotAggressive()
    {
        var contract = TestContracts.SingleModule(1000, responses: new ResponsePolicy { Elevated = ["compact_gc"], High = [], Critical = [] });
        await using var f = GuardFixture.Create(contract);

        await f.TickAsync(850);

        Assert.Equal(1, f.Gc.Collections);
        Assert.Equal(0, f.Gc.AggressiveCollections);
    }

    [Fact]
    public async Task TickAsync_CompactGcAtCritical_Aggressive()
    {
        var contract = TestContracts.SingleModule(1000, responses: new ResponsePolicy { Elevated = [], High = [], Critical = ["compact_gc"] });
        await using var f = GuardFixture.Create(contract);

        await f.TicksAsync(960, 3);

        Assert.Equal(PressureLevel.Critical, f.Current.Level);
        Assert.Equal(1, f.Gc.AggressiveCollections);
    }
}
