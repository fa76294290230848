using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MemoryContracts;

/// <summary>
/// Every trimmable and module cache the guard counts and trims, resolved once from DI on first use.
/// A trimmable whose <see cref="IMemoryTrimmable.EstimatedBytes"/> throws counts as 0 bytes (logged
/// once per trimmable), so one bad trimmable never stops the guard grading.
/// </summary>
internal sealed class TrimmableRegistry
{
    private readonly IServiceProvider _services;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private OwnedTrimmable[]? _entries;
    private ContractPlan? _indexedPlan;
    private int[] _moduleIndex = [];

    public TrimmableRegistry(IServiceProvider services, ILogger<TrimmableRegistry> logger)
    {
        _services = services;
        _logger = logger;
    }

    public IReadOnlyList<OwnedTrimmable> Entries => _entries ?? Resolve();

    /// <summary>
    /// Writes the bytes each module of <paramref name="plan"/> owns into <paramref name="owned"/>.
    /// Allocation-free once the plan has been indexed.
    /// </summary>
    public void ComputeOwned(ContractPlan plan, Span<long> owned)
    {
        var entries = _entries ?? Resolve();
        if (!ReferenceEquals(plan, _indexedPlan))
        {
            Index(entries, plan);
        }

        owned.Clear();
        for (var i = 0; i < entries.Length; i++)
        {
            var module = _moduleIndex[i];
            if (module >= 0 && module < owned.Length)
            {
                owned[module] += EstimatedBytesOf(entries[i]);
            }
        }
    }

    /// <summary>
    /// Gets the bytes <paramref name="entry"/> holds, never negative; 0 when its
    /// <see cref="IMemoryTrimmable.EstimatedBytes"/> throws (logged the first time only).
    /// </summary>
    public long EstimatedBytesOf(OwnedTrimmable entry)
    {
        try
        {
            return Math.Max(0, entry.Trimmable.EstimatedBytes);
        }
        catch (Exception exception)
        {
            if (Interlocked.Exchange(ref entry.EstimateFailureLogged, 1) == 0)
            {
                ResponsesLog.EstimateFailed(_logger, NameOf(entry.Trimmable), entry.Module, exception);
            }

            return 0;
        }
    }

    /// <summary>Gets a trimmable's name for logs: its type's name when <see cref="IMemoryTrimmable.Name"/> throws too.</summary>
    public static string NameOf(IMemoryTrimmable trimmable)
    {
        try
        {
            return trimmable.Name ?? trimmable.GetType().Name;
        }
        catch (Exception)
        {
            return trimmable.GetType().Name;
        }
    }

    // Kept out of ComputeOwned: a lambda capturing the plan there would allocate its closure on every call.
    private void Index(OwnedTrimmable[] entries, ContractPlan plan)
    {
        _moduleIndex = [.. entries.Select(e => plan.IndexOf(e.Module))];
        _indexedPlan = plan;
    }

    private OwnedTrimmable[] Resolve()
    {
        lock (_gate)
        {
            return _entries ??= [.. _services.GetServices<ModuleTrimmableRegistration>()
                .DistinctBy(r => r.Key)
                .Select(r => new OwnedTrimmable(r.Module, r.Factory(_services)))];
        }
    }
}
