namespace MemoryContracts;

/// <summary>A YAML sequence (a list).</summary>
internal sealed class ContractSequence : ContractNode
{
    private readonly List<ContractNode> _items = [];

    public ContractSequence(ContractMark mark)
        : base(mark)
    {
    }

    public IReadOnlyList<ContractNode> Items => _items;

    public void Add(ContractNode item)
    {
        _items.Add(item);
        ExpandedSize += item.ExpandedSize;
    }

    public override string Describe() => "a list";
}
