using Microsoft.Extensions.Logging;

namespace MemoryContracts;

/// <summary>
/// <c>trim_caches</c>: trims every registered trimmable and module cache by the level's
/// <c>trim_fraction</c> — over-budget modules first (most over first), then non-core modules by
/// ascending <c>priority</c>, core modules last. Runs on the guard's loop, never on a request thread.
/// </summary>
internal sealed class TrimCachesResponder : IMemoryPressureResponder
{
    private readonly TrimmableRegistry _registry;
    private readonly MemoryContractsMetrics _metrics;
    private readonly ILogger _logger;

    public TrimCachesResponder(TrimmableRegistry registry, MemoryContractsMetrics metrics, ILogger<TrimCachesResponder> logger)
    {
        _registry = registry;
        _metrics = metrics;
        _logger = logger;
    }

    public string Name => BuiltInResponders.TrimCaches;

    public ValueTask OnLevelChangedAsync(MemoryPressureChange change, CancellationToken cancellationToken)
    {
        if (!change.ShouldAct(Name))
        {
            return ValueTask.CompletedTask;
        }

        var fraction = change.Contract.Responses.TrimFraction.For(change.Level);
        long freed = 0;
        var count = 0;
        foreach (var entry in Order(_registry.Entries, change))
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var bytes = Math.Max(0, entry.Trimmable.Trim(fraction));
                freed += bytes;
                count++;
                _metrics.CacheTrimmedBytes(entry.Module, bytes);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                ResponsesLog.TrimFailed(_logger, TrimmableRegistry.NameOf(entry.Trimmable), entry.Module, exception);
            }
        }

        ResponsesLog.CachesTrimmed(_logger, count, fraction, change.Level, freed);
        return ValueTask.CompletedTask;
    }

    /// <summary>The trim order: over-budget modules (most over first), then non-core by ascending priority, then core.</summary>
    internal static IEnumerable<OwnedTrimmable> Order(IEnumerable<OwnedTrimmable> entries, MemoryPressureChange change)
    {
        var modules = change.Contract.Modules.ToDictionary(m => m.Name, StringComparer.Ordinal);
        var ratios = change.Snapshot.Modules.ToDictionary(m => m.Module, m => m.HeapRatio, StringComparer.Ordinal);
        return entries
            .Select((entry, index) => (entry, index,
                module: modules.GetValueOrDefault(entry.Module),
                ratio: ratios.GetValueOrDefault(entry.Module)))
            .OrderBy(x => x.ratio > 1 ? 0 : x.module is { Core: true } ? 2 : 1)
            .ThenByDescending(x => x.ratio > 1 ? x.ratio : 0)
            .ThenBy(x => x.module?.Priority ?? ModuleDefaults.Priority)
            .ThenBy(x => x.index)
            .Select(x => x.entry);
    }
}
