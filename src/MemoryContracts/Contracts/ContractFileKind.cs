using System.Runtime.InteropServices;
using System.Text;

namespace MemoryContracts;

/// <summary>
/// Refuses a contract path that is not a regular file before it is opened: a FIFO, a device, a socket
/// or a directory. Opening a FIFO blocks until a writer comes (for ever, at start-up or on reload),
/// and a device never ends. Symbolic links are followed (<c>stat</c> semantics), so a link to a regular
/// file, as a Kubernetes ConfigMap mounts one, is fine. On Linux the file type comes from
/// <c>statx(2)</c>, whose layout is the same on every architecture; elsewhere (or where libc lacks
/// <c>statx</c>) only a directory is seen here, and the reader refuses an unseekable stream once opened.
/// </summary>
internal static class ContractFileKind
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const int NoSuchFile = 2;
    private const int NotADirectory = 20;
    private const int TypeMask = 0xF000;
    private const int Regular = 0x8000;

    private static bool s_statxMissing;

    /// <summary>Throws a <see cref="MemoryContractException"/> naming <paramref name="fullPath"/> unless it is (a link to) a regular file.</summary>
    /// <exception cref="MemoryContractException">The path does not exist, or is not a regular file.</exception>
    public static void EnsureRegularFile(string fullPath)
    {
        var type = FileType(fullPath);
        if (type == Regular)
        {
            return;
        }

        if (type == -1)
        {
            throw Missing(fullPath);
        }

        if (type is { } known)
        {
            throw NotRegular(fullPath, Describe(known));
        }

        // Type unknown here: the managed checks, then the reader's check on the open stream.
        if (Directory.Exists(fullPath))
        {
            throw NotRegular(fullPath, Describe(0x4000));
        }

        if (!File.Exists(fullPath))
        {
            throw Missing(fullPath);
        }
    }

    /// <summary>The error for a path that is not a regular file; <paramref name="what"/> says what it is ("a FIFO (named pipe)").</summary>
    public static MemoryContractException NotRegular(string fullPath, string what) =>
        new($"the contract file '{fullPath}' is {what}, not a regular file; point ContractPath at a regular file (a symbolic link to one, as a Kubernetes ConfigMap mounts it, is fine)", null, null, null, fullPath);

    internal static string Describe(int type) => type switch
    {
        0x1000 => "a FIFO (named pipe)",
        0x2000 => "a character device",
        0x4000 => "a directory",
        0x6000 => "a block device",
        0xC000 => "a socket",
        _ => "of an unknown kind",
    };

    private static MemoryContractException Missing(string fullPath) =>
        new($"the contract file '{fullPath}' does not exist", null, null, null, fullPath);

    /// <summary>The <c>S_IFMT</c> bits of the file the path leads to; -1 when nothing is there; <see langword="null"/> when unknown.</summary>
    private static int? FileType(string fullPath)
    {
        if (!OperatingSystem.IsLinux() || Volatile.Read(ref s_statxMissing))
        {
            return null;
        }

        try
        {
            var path = Encoding.UTF8.GetBytes(fullPath + "\0");
            if (Statx(AtFdCwd, path, 0, StatxType, out var status) == 0)
            {
                return status.Mode & TypeMask;
            }

            // ENOENT, ENOTDIR: nothing there. Anything else (EACCES, ELOOP, ...): let the open report it.
            return Marshal.GetLastPInvokeError() is NoSuchFile or NotADirectory ? -1 : null;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            Volatile.Write(ref s_statxMissing, true);
            return null;
        }
    }

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Statx(int directory, byte[] path, int flags, uint mask, out StatxBuffer status);

    /// <summary>The fixed, architecture-independent <c>struct statx</c> (256 bytes); only <c>stx_mode</c> is read.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(28)]
        public ushort Mode;
    }
}
