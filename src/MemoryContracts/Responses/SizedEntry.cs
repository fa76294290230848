namespace MemoryContracts;

/// <summary>The bytes a module cache counts for one committed entry, released exactly once.</summary>
internal sealed class SizedEntry
{
    public SizedEntry(long bytes) => Bytes = bytes;

    public long Bytes { get; }

    /// <summary>1 while the bytes are in the cache's total; 0 once released.</summary>
    public int Counted = 1;
}
