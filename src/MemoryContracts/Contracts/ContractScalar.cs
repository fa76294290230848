namespace MemoryContracts;

/// <summary>A YAML scalar: its text and whether it was quoted (a quoted scalar is always a string).</summary>
internal sealed class ContractScalar : ContractNode
{
    public ContractScalar(string value, bool quoted, ContractMark mark)
        : base(mark)
    {
        Value = value;
        Quoted = quoted;
    }

    public string Value { get; }

    public bool Quoted { get; }

    /// <summary>Gets a value indicating whether the scalar is YAML's null (<c>~</c>, <c>null</c> or nothing, unquoted).</summary>
    public bool IsNull => !Quoted && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string Describe() => IsNull ? "null" : Quoted ? "a string" : $"'{Shorten(Value)}'";

    /// <summary>Shortens <paramref name="text"/> for a message.</summary>
    public static string Shorten(string text) => text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 61), "...");
}
