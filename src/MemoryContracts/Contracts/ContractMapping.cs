namespace MemoryContracts;

/// <summary>
/// A YAML mapping: its entries in document order (keys are scalars and unique). Keys are looked up
/// by scanning while the mapping is small and through an index once it has more than
/// <see cref="IndexThreshold"/> entries, so reading (and refusing) a mapping of thousands of keys
/// costs linear time, not quadratic (every key is looked up once as it is read, for duplicates).
/// </summary>
internal sealed class ContractMapping : ContractNode
{
    /// <summary>The most entries looked up by scanning; past this an index is kept.</summary>
    internal const int IndexThreshold = 8;

    private readonly List<KeyValuePair<ContractScalar, ContractNode>> _entries = [];
    private Dictionary<string, int>? _index;

    public ContractMapping(ContractMark mark)
        : base(mark)
    {
    }

    public IReadOnlyList<KeyValuePair<ContractScalar, ContractNode>> Entries => _entries;

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public ContractScalar? FindKey(string key) => IndexOf(key) is var i and >= 0 ? _entries[i].Key : null;

    public ContractNode? Find(string key) => IndexOf(key) is var i and >= 0 ? _entries[i].Value : null;

    public void Add(ContractScalar key, ContractNode value)
    {
        _entries.Add(new(key, value));
        ExpandedSize += key.ExpandedSize + value.ExpandedSize;
        if (_index is not null)
        {
            _index.TryAdd(key.Value, _entries.Count - 1);
        }
        else if (_entries.Count > IndexThreshold)
        {
            _index = new Dictionary<string, int>(_entries.Count * 2, StringComparer.Ordinal);
            for (var i = 0; i < _entries.Count; i++)
            {
                _index.TryAdd(_entries[i].Key.Value, i);
            }
        }
    }

    public override string Describe() => "a mapping";

    private int IndexOf(string key)
    {
        if (_index is not null)
        {
            return _index.TryGetValue(key, out var found) ? found : -1;
        }

        for (var i = 0; i < _entries.Count; i++)
        {
            if (string.Equals(_entries[i].Key.Value, key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
