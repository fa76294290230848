using MemoryContracts.Tests.Infrastructure;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts.Tests.Responses;

/// <summary>
/// Issue 10, defect 1: a module cache counts an entry only once it is stored. A factory that throws
/// (a backend that is down) or a commit that the inner cache rejects adds nothing.
/// </summary>
public class ModuleCacheFailedFactoryTests
{
    private static MemoryContract OneMbCatalog() => new()
    {
        Modules =
        [
            new ModuleContract { Name = "catalog", MaxHeapBytes = 1 * TestContracts.MB },
            new ModuleContract { Name = "checkout", MaxHeapBytes = 100 * TestContracts.MB, Core = true },
        ],
        Responses = TestContracts.NoResponses,
    };

    private static ModuleMemoryCache Catalog(GuardFixture f) => (ModuleMemoryCache)f.Services.GetRequiredKeyedService<IMemoryCache>("catalog");

    private static void FailingRequest(IMemoryCache cache, object key, long? size) =>
        Assert.Throws<HttpRequestException>(() => cache.GetOrCreate<string>(key, entry =>
        {
            entry.Size = size;
            throw new HttpRequestException("backend down");
        }));

    [Fact]
    public async Task GetOrCreate_FactorySetsSizeThenThrows_CountsNothingAndModuleStaysNormal()
    {
        await using var f = GuardFixture.Create(OneMbCatalog(), s => s.AddMemoryContractCache("catalog"));
        var cache = Catalog(f);
        await f.TickAsync(10);

        for (var i = 0; i < 200; i++)
        {
            FailingRequest(cache, "product:" + i, 64 * 1024);
            await f.TickAsync(10);
        }

        Assert.Equal(0, cache.EstimatedBytes);
        Assert.Equal(0, cache.Count);
        Assert.Equal(PressureLevel.Normal, f.Current.FindModule("catalog")!.Level);
        Assert.Equal(PressureLevel.Normal, f.Current.Level);
    }

    [Fact]
    public async Task GetOrCreate_FactoryThrowsWithoutSize_SizeIndexDoesNotGrow()
    {
        await using var f = GuardFixture.Create(OneMbCatalog(), s => s.AddMemoryContractCache("catalog"));
        var cache = Catalog(f);

        for (var i = 0; i < 1000; i++)
        {
            FailingRequest(cache, Guid.NewGuid().ToString(), size: null);
        }

        Assert.Equal(0, cache.TrackedEntries);
        Assert.Equal(0, cache.EstimatedBytes);
    }

    [Fact]
    public async Task Set_InnerCacheRejectsCommit_CountsNothing()
    {
        // With a SizeLimit, MemoryCache throws on commit when an entry has no Size: it stores nothing.
        await using var f = GuardFixture.Create(OneMbCatalog(), s => s.AddMemoryContractCache("catalog", o => o.SizeLimit = 1_000_000));
        var cache = Catalog(f);

        Assert.Throws<InvalidOperationException>(() => cache.Set("a", new byte[1000]));

        Assert.False(cache.TryGetValue("a", out _));
        Assert.Equal(0, cache.EstimatedBytes);
        Assert.Equal(0, cache.TrackedEntries);
    }

    [Fact]
    public async Task Trim_EmptyCacheWithEvictionCallbackPending_ReconcilesAtOnce()
    {
        await using var f = GuardFixture.Create(OneMbCatalog(), s => s.AddMemoryContractCache("catalog"));
        var cache = Catalog(f);
        var expected = 0L;
        for (var i = 0; i < 100; i++)
        {
            cache.Set(i, new byte[1000]);
            expected += 1024 + ModuleMemoryCache.EntryOverheadBytes;
        }

        Assert.Equal(expected, cache.EstimatedBytes);

        // Remove empties the cache at once; MemoryCache runs the eviction callbacks later, on the
        // thread pool. A trim in between must still account for what left.
        for (var i = 0; i < 100; i++)
        {
            cache.Remove(i);
        }

        var freed = cache.Trim(0.5);

        Assert.Equal(0, cache.Count);
        Assert.Equal(0, cache.EstimatedBytes);
        Assert.Equal(0, cache.TrackedEntries);
        Assert.InRange(freed, 0, expected);
    }

    [Fact]
    public async Task GetOrCreate_FactorySucceeds_CountsSizePlusOverhead()
    {
        await using var f = GuardFixture.Create(OneMbCatalog(), s => s.AddMemoryContractCache("catalog"));
        var cache = Catalog(f);

        var value = cache.GetOrCreate("a", entry =>
        {
            entry.Size = 4096;
            return "value";
        });

        Assert.Equal("value", value);
        Assert.Equal(4096 + ModuleMemoryCache.EntryOverheadBytes, cache.EstimatedBytes);
        Assert.Equal(1, cache.TrackedEntries);
    }
}
