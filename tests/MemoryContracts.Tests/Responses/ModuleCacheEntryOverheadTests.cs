using MemoryContracts.Tests.Examples;
using MemoryContracts.Tests.Infrastructure;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace MemoryContracts.Tests.Responses;

/// <summary>
/// Issue 10, defect 2: small entries cost far more heap than their declared <c>Size</c>. A module
/// cache adds <see cref="ModuleMemoryCache.EntryOverheadBytes"/> per entry; measured here against the
/// real heap (run alone, so no other test's allocations move the numbers).
/// </summary>
[Collection(RunsAlone.Name)]
public class ModuleCacheEntryOverheadTests(ITestOutputHelper output)
{
    private const int Entries = 100_000;

    [Fact]
    public async Task Set_ManySmallEntries_CountedWithinTwiceOfRealHeap()
    {
        await using var f = GuardFixture.Create(TestContracts.SingleModule(1000), s => s.AddMemoryContractCache("app"));
        var cache = (ModuleMemoryCache)f.Services.GetRequiredKeyedService<IMemoryCache>("app");
        var options = new MemoryCacheEntryOptions { Size = 64 };

        // Keys and values are made first: what is measured is what the cache adds to hold them
        // (values are 64 bytes each, declared as Size = 64, and counted by the test on its own).
        var keys = new object[Entries];
        var values = new byte[Entries][];
        for (var i = 0; i < Entries; i++)
        {
            keys[i] = i;
            values[i] = new byte[64 - 24];
        }

        cache.Set(-1, values[0], options);
        cache.Remove(-1);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 0; i < Entries; i++)
        {
            cache.Set(keys[i], values[i], options);
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        var realPerEntry = ((double)(after - before) / Entries) + 64;
        var countedPerEntry = (double)cache.EstimatedBytes / Entries;
        output.WriteLine($"real {realPerEntry:F0} B per entry (cache overhead {realPerEntry - 64:F0} B), counted {countedPerEntry:F0} B");

        Assert.Equal(Entries, cache.Count);
        Assert.InRange(countedPerEntry / realPerEntry, 0.5, 2.0);
        GC.KeepAlive(keys);
        GC.KeepAlive(values);
    }

    [Fact]
    public async Task Set_EstimatedSize_AddsTheSameOverhead()
    {
        await using var f = GuardFixture.Create(TestContracts.SingleModule(1000), s => s.AddMemoryContractCache("app"));
        var cache = (ModuleMemoryCache)f.Services.GetRequiredKeyedService<IMemoryCache>("app");

        cache.Set("a", "hello");

        Assert.Equal(22 + 10 + ModuleMemoryCache.EntryOverheadBytes, cache.EstimatedBytes);
    }
}
