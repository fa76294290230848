namespace MemoryContracts;

/// <summary>
/// Where each dotted key of a contract read from YAML sits (<c>modules[1].max_heap_mb</c> → line 9,
/// column 18), so a rule checked after reading can still name its line and column.
/// </summary>
internal sealed class ContractMarks
{
    private readonly Dictionary<string, ContractMark> _marks = new(StringComparer.Ordinal);

    public void Set(string key, ContractMark mark) => _marks[key] = mark;

    /// <summary>Gets the mark of <paramref name="key"/>, else of its nearest parent that the YAML has.</summary>
    public ContractMark? Find(string? key)
    {
        while (!string.IsNullOrEmpty(key))
        {
            if (_marks.TryGetValue(key, out var mark))
            {
                return mark;
            }

            var cut = Math.Max(key.LastIndexOf('.'), key.LastIndexOf('['));
            key = cut <= 0 ? null : key[..cut];
        }

        return null;
    }
}
