using System.Runtime.InteropServices;
using System.Text;

namespace MemoryContracts;

/// <summary>
/// lstat(2) and geteuid(2) on Unix, through the shims of the .NET runtime's own native library
/// (libSystem.Native, shipped with every shared framework): .NET has no managed API for a file's
/// owner. Its <c>FileStatus</c> begins Flags, Mode (the raw <c>st_mode</c>), Uid, Gid, a layout
/// fixed since .NET Core 1.0; the struct here reads those four and leaves room for the rest.
/// </summary>
internal static class UnixFileStatus
{
    private const string SystemNative = "libSystem.Native";
    private const int TypeMask = 0xF000;
    private const int DirectoryType = 0x4000;
    private const int SymbolicLinkType = 0xA000;

    /// <summary>Gets the effective user id of this process.</summary>
    public static uint EffectiveUserId => GetEUid();

    /// <summary>
    /// Reads the status of <paramref name="path"/> itself (a symbolic link is not followed).
    /// </summary>
    /// <returns><see langword="false"/> when nothing is at <paramref name="path"/> (or it cannot be read).</returns>
    public static bool TryLStat(string path, out Status status)
    {
        // A NUL-terminated UTF-8 path: what the shim takes, marshalled by hand (no string marshalling).
        var utf8 = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, utf8);
        if (LStat(utf8, out var native) != 0)
        {
            status = default;
            return false;
        }

        status = new Status(native.Mode & TypeMask, (UnixFileMode)(native.Mode & 0xFFF), native.Uid);
        return true;
    }

    [DllImport(SystemNative, EntryPoint = "SystemNative_LStat", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int LStat(byte[] path, out NativeFileStatus output);

    [DllImport(SystemNative, EntryPoint = "SystemNative_GetEUid")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern uint GetEUid();

    /// <summary>What <see cref="TryLStat"/> reads: the file type, its permission bits and its owner.</summary>
    internal readonly record struct Status(int Type, UnixFileMode Mode, uint Owner)
    {
        public bool IsDirectory => Type == DirectoryType;

        public bool IsSymbolicLink => Type == SymbolicLinkType;
    }

    // The leading fields of libSystem.Native's FileStatus; Size leaves room for the fields after them.
    [StructLayout(LayoutKind.Sequential, Size = 256)]
    private struct NativeFileStatus
    {
        public int Flags;
        public int Mode;
        public uint Uid;
        public uint Gid;
    }
}
