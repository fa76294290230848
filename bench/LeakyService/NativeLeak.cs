using System.Runtime.InteropServices;

namespace LeakyService;

/// <summary>
/// Native memory that is never given back, as an image codec's buffers leak: each block comes from
/// <see cref="NativeMemory.Alloc(nuint)"/> and every page of it is written, so it is resident and
/// counts in the cgroup's working set, while the GC heap does not see it.
/// </summary>
internal static class NativeLeak
{
    public const int BlockBytes = 1024 * 1024;

    private static readonly List<nint> Blocks = [];
    private static readonly Lock Gate = new();

    /// <summary>Gets the MB held.</summary>
    public static int HeldMb
    {
        get
        {
            lock (Gate)
            {
                return Blocks.Count;
            }
        }
    }

    /// <summary>Allocates and touches one more block; returns the MB held.</summary>
    public static unsafe int Grow()
    {
        var block = NativeMemory.Alloc(BlockBytes);
        new Span<byte>(block, BlockBytes).Fill(0x5A);
        lock (Gate)
        {
            Blocks.Add((nint)block);
            return Blocks.Count;
        }
    }

    /// <summary>Frees every block; returns the MB freed.</summary>
    public static unsafe int Release()
    {
        nint[] blocks;
        lock (Gate)
        {
            blocks = [.. Blocks];
            Blocks.Clear();
        }

        foreach (var block in blocks)
        {
            NativeMemory.Free((void*)block);
        }

        return blocks.Length;
    }
}
