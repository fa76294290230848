using MemoryContracts.Tests.Infrastructure;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts.Tests.Responses;

/// <summary>
/// Real memory: the default GC sampler, a cache that genuinely grows by 1 MB arrays, and the guard
/// ticked by hand (time is faked; memory is not).
/// </summary>
public class ModuleCacheRealMemoryTests
{
    private const long MB = 1024 * 1024;

    [Fact]
    public async Task Guard_GrowingModuleCache_HeldUnderModuleBudget()
    {
        var budget = 32 * MB;
        var contract = new MemoryContract
        {
            Modules =
            [
                new ModuleContract { Name = "catalog", MaxHeapBytes = budget },
                new ModuleContract { Name = "checkout", Core = true, MaxHeapBytes = 16L * 1024 * MB },
            ],
        };
        await using var f = GuardFixture.Create(contract, s => s.AddMemoryContractCache("catalog"));

        // Real memory from here on: the default sampler reads the GC.
        var provider = f.Services;
        var realSampler = new GcMemorySampler();
        using var trimmed = MetricCollection.Counter(provider, MemoryContractsMetricNames.CacheTrimmed);
        using var refused = MetricCollection.Counter(provider, MemoryContractsMetricNames.CacheWritesRefused);
        var cache = (ModuleMemoryCache)provider.GetRequiredKeyedService<IMemoryCache>("catalog");
        var guard = new MemoryGuard(
            provider.GetRequiredService<MemoryContractSource>(),
            realSampler,
            f.Monitor,
            f.Time,
            provider.GetRequiredService<MemoryContractsMetrics>(),
            provider.GetRequiredService<TrimmableRegistry>(),
            provider.GetRequiredService<GcTightening>(),
            provider.GetRequiredService<QuietLogsSwitch>(),
            provider.GetRequiredService<LoadWindow>(),
            provider.GetServices<IMemoryPressureResponder>(),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<MemoryGuard>.Instance);

        long peak = 0;
        var stored = 0;
        for (var i = 0; i < 200; i++)
        {
            var block = new byte[MB];
            Random.Shared.NextBytes(block.AsSpan(0, 64));
            cache.Set(i, block);
            if (cache.TryGetValue(i, out _))
            {
                stored++;
            }

            f.Time.Advance(contract.SamplingInterval);
            await guard.TickAsync(CancellationToken.None);
            peak = Math.Max(peak, cache.EstimatedBytes);
        }

        // Evicted entries are released once MemoryCache has run their eviction callbacks (thread pool).
        var heapAfter = long.MaxValue;
        for (var wait = 0; wait < 50 && heapAfter >= 100 * MB; wait++)
        {
            await Task.Delay(100);
            heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        }

        Assert.True(peak <= budget, $"catalog cache peaked at {peak / MB} MB against a {budget / MB} MB budget");
        Assert.True(cache.EstimatedBytes <= budget);
        Assert.True(trimmed.Total() > 0, "the guard trimmed the cache");
        Assert.True(stored > 32, "the cache kept working under its budget");
        Assert.True(refused.Total() > 0 || trimmed.Total() > 100 * MB, "writes were refused or the cache was trimmed hard");
        Assert.True(heapAfter < 100 * MB, $"live heap after the run is {heapAfter / MB} MB: 200 MB went through the cache, the trimmed arrays must really be freed");
    }
}
