namespace ShopApi.Reports;

/// <summary>
/// A genuine leak, for demonstrations: byte arrays kept in a static list that nothing ever trims.
/// The memory is written to, so it is really committed. <see cref="Release"/> lets it go.
/// </summary>
internal static class ReportsLeak
{
    /// <summary>The size of one leaked chunk, in bytes.</summary>
    public const int ChunkBytes = 1024 * 1024;

    private static readonly List<byte[]> Chunks = [];
    private static readonly Lock Gate = new();

    /// <summary>Gets the bytes leaked so far.</summary>
    public static long Bytes
    {
        get
        {
            lock (Gate)
            {
                return (long)Chunks.Count * ChunkBytes;
            }
        }
    }

    /// <summary>Leaks <paramref name="megabytes"/> more MB.</summary>
    public static long Add(int megabytes)
    {
        var added = new byte[megabytes][];
        for (var i = 0; i < added.Length; i++)
        {
            added[i] = new byte[ChunkBytes];
            added[i].AsSpan().Fill(0x5A);
        }

        lock (Gate)
        {
            Chunks.AddRange(added);
            return (long)Chunks.Count * ChunkBytes;
        }
    }

    /// <summary>Drops every leaked chunk; returns the bytes released.</summary>
    public static long Release()
    {
        lock (Gate)
        {
            var bytes = (long)Chunks.Count * ChunkBytes;
            Chunks.Clear();
            Chunks.TrimExcess();
            return bytes;
        }
    }
}
