namespace MemoryContracts;

/// <summary>
/// The limits that keep a hostile contract from costing more than a few milliseconds to refuse.
/// </summary>
internal static class ContractLimits
{
    /// <summary>The largest contract accepted, in bytes (a file) or UTF-8 bytes (a string): 1 MiB.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>The deepest nesting of mappings and lists accepted, counted while reading events.</summary>
    public const int MaxDepth = 64;

    /// <summary>The most nodes a document may stand for, with every alias counted as a full copy of its anchor.</summary>
    public const int MaxNodes = 10_000;

    /// <summary>The longest scalar (key or value) accepted, in characters.</summary>
    public const int MaxScalarLength = 4096;
}
