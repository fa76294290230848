using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts;

/// <summary>
/// Every trimmable and module cache the guard counts and trims, resolved once from DI on first use.
/// </summary>
internal sealed class TrimmableRegistry
{
    private readonly IServiceProvider _services;
    private readonly object _gate = new();
    private OwnedTrimmable[]? _entries;
    private ContractPlan? _indexedPlan;
    private int[] _moduleIndex = [];

    public TrimmableRegistry(IServiceProvider services) => _services = services;

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
                owned[module] += Math.Max(0, entries[i].Trimmable.EstimatedBytes);
            }
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
