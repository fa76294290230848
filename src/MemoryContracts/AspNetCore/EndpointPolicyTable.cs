using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;

namespace MemoryContracts;

/// <summary>
/// The middleware's per-endpoint policy cache: an open-addressing hash table keyed by
/// <see cref="Endpoint"/> reference. Reads take no lock and make no interface call (the hash is
/// <see cref="RuntimeHelpers.GetHashCode(object)"/>, the comparison a reference check); adds are
/// serialised. Entries are never removed: the owner replaces the whole table to start over.
/// </summary>
/// <remarks>
/// An add writes the entry's policy before publishing its key (a release write) and a read acquires
/// the key before reading the policy, so a reader never sees a key without its policy. The table is
/// at most half full, so a probe always ends at an empty slot; growing builds a new array in full
/// before publishing it.
/// </remarks>
internal sealed class EndpointPolicyTable
{
    private const int InitialCapacity = 16;

    private readonly Lock _addGate = new();
    private Entry[] _entries = new Entry[InitialCapacity];
    private int _count;

    /// <summary>Gets how many endpoints the table holds.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Gets the endpoint's policy, or <see langword="null"/> when the table has none.</summary>
    public EndpointPolicy? Find(Endpoint endpoint)
    {
        var entries = Volatile.Read(ref _entries);
        var mask = entries.Length - 1;
        var index = RuntimeHelpers.GetHashCode(endpoint) & mask;
        while (true)
        {
            ref var entry = ref entries[index];
            var key = Volatile.Read(ref entry.Endpoint);
            if (ReferenceEquals(key, endpoint))
            {
                return entry.Policy;
            }

            if (key is null)
            {
                return null;
            }

            index = (index + 1) & mask;
        }
    }

    /// <summary>Adds the endpoint's policy unless another thread added one first; returns the one in the table.</summary>
    public EndpointPolicy GetOrAdd(Endpoint endpoint, EndpointPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(policy);
        lock (_addGate)
        {
            if (Find(endpoint) is { } existing)
            {
                return existing;
            }

            var entries = _entries;
            if ((_count + 1) * 2 > entries.Length)
            {
                var grown = new Entry[entries.Length * 2];
                foreach (var entry in entries)
                {
                    if (entry.Endpoint is not null)
                    {
                        Insert(grown, entry.Endpoint, entry.Policy!);
                    }
                }

                Volatile.Write(ref _entries, grown);
                entries = grown;
            }

            Insert(entries, endpoint, policy);
            Volatile.Write(ref _count, _count + 1);
            return policy;
        }
    }

    private static void Insert(Entry[] entries, Endpoint endpoint, EndpointPolicy policy)
    {
        var mask = entries.Length - 1;
        var index = RuntimeHelpers.GetHashCode(endpoint) & mask;
        while (entries[index].Endpoint is not null)
        {
            index = (index + 1) & mask;
        }

        entries[index].Policy = policy;
        Volatile.Write(ref entries[index].Endpoint, endpoint);
    }

    private struct Entry
    {
        public Endpoint? Endpoint;
        public EndpointPolicy? Policy;
    }
}
