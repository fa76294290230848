using System.Runtime.InteropServices;

namespace ShopApi.Reports;

/// <summary>
/// A genuine native leak, as an image codec's or a driver's buffers leak: blocks from
/// <see cref="Marshal.AllocHGlobal(int)"/> that nothing frees. A byte of every page is written, so the
/// blocks are resident and count in the container's working set (what the kernel's OOM killer looks
/// at) while the GC heap never sees them. <see cref="Release"/> frees them.
/// </summary>
internal static class ReportsNativeLeak
{
    private const int PageBytes = 4096;

    private static readonly List<nint> Blocks = [];
    private static readonly Lock Gate = new();

    /// <summary>Gets the MB held.</summary>
    public static long HeldMb
    {
        get
        {
            lock (Gate)
            {
                return Blocks.Count;
            }
        }
    }

    /// <summary>Leaks <paramref name="megabytes"/> more MB of native memory; returns the MB held.</summary>
    public static long Add(int megabytes)
    {
        var added = new nint[megabytes];
        for (var i = 0; i < added.Length; i++)
        {
            added[i] = Marshal.AllocHGlobal(ReportsLeak.ChunkBytes);
            for (var offset = 0; offset < ReportsLeak.ChunkBytes; offset += PageBytes)
            {
                Marshal.WriteByte(added[i], offset, 0x5A);
            }
        }

        lock (Gate)
        {
            Blocks.AddRange(added);
            return Blocks.Count;
        }
    }

    /// <summary>Frees every block; returns the MB freed.</summary>
    public static long Release()
    {
        nint[] blocks;
        lock (Gate)
        {
            blocks = [.. Blocks];
            Blocks.Clear();
        }

        foreach (var block in blocks)
        {
            Marshal.FreeHGlobal(block);
        }

        return blocks.Length;
    }
}
