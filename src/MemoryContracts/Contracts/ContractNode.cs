namespace MemoryContracts;

/// <summary>A node of the small YAML tree the contract reader builds, carrying where it starts.</summary>
internal abstract class ContractNode
{
    protected ContractNode(ContractMark mark) => Mark = mark;

    /// <summary>Gets where the node starts.</summary>
    public ContractMark Mark { get; }

    /// <summary>Gets the number of nodes this one stands for once every alias in it is expanded.</summary>
    public int ExpandedSize { get; protected set; } = 1;

    /// <summary>Gets what the node is, for error messages (<c>a mapping</c>, <c>a list</c>, <c>a string</c>...).</summary>
    public abstract string Describe();
}
