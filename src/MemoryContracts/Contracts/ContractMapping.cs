namespace MemoryContracts;

/// <summary>A YAML mapping: its entries in document order (keys are scalars and unique).</summary>
internal sealed class ContractMapping : ContractNode
{
    private readonly List<KeyValuePair<ContractScalar, ContractNode>> _entries = [];

    public ContractMapping(ContractMark mark)
        : base(mark)
    {
    }

    public IReadOnlyList<KeyValuePair<ContractScalar, ContractNode>> Entries => _entries;

    public bool ContainsKey(string key) => Find(key) is not null;

    public ContractScalar? FindKey(string key)
    {
        foreach (var entry in _entries)
        {
            if (string.Equals(entry.Key.Value, key, StringComparison.Ordinal))
            {
                return entry.Key;
            }
        }

        return null;
    }

    public ContractNode? Find(string key)
    {
        foreach (var entry in _entries)
        {
            if (string.Equals(entry.Key.Value, key, StringComparison.Ordinal))
            {
                return entry.Value;
            }
        }

        return null;
    }

    public void Add(ContractScalar key, ContractNode value)
    {
        _entries.Add(new(key, value));
        ExpandedSize += key.ExpandedSize + value.ExpandedSize;
    }

    public override string Describe() => "a mapping";
}
