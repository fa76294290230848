using Microsoft.Win32.SafeHandles;

namespace MemoryContracts;

/// <summary>
/// One cgroup file kept open: each read is a <c>pread</c> at offset 0 into the caller's buffer
/// (cgroup files regenerate their content on a read from offset 0), so a read allocates nothing.
/// </summary>
internal sealed class CgroupFile : IDisposable
{
    /// <summary>The largest buffer a cgroup file is read into (a <c>memory.stat</c> is a few KiB).</summary>
    public const int MaxBufferBytes = 1 << 20;

    private readonly SafeFileHandle _handle;

    private CgroupFile(string path, SafeFileHandle handle)
    {
        Path = path;
        _handle = handle;
    }

    /// <summary>Gets the file's path, for problem reports.</summary>
    public string Path { get; }

    /// <summary>Opens <paramref name="path"/> for reading.</summary>
    /// <param name="path">The cgroup file.</param>
    /// <param name="problem">Why it could not be opened; null on success.</param>
    /// <returns>The open file, or null.</returns>
    public static CgroupFile? TryOpen(string path, out string? problem)
    {
        try
        {
            var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            problem = null;
            return new CgroupFile(path, handle);
        }
        catch (Exception e) when (IsIoFailure(e))
        {
            problem = $"{path} could not be opened ({e.GetType().Name}: {e.Message})";
            return null;
        }
    }

    /// <summary>Whether <paramref name="e"/> is a failure of the file system rather than a bug.</summary>
    public static bool IsIoFailure(Exception e) =>
        e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException or System.Security.SecurityException;

    /// <summary>
    /// Reads the whole file into <paramref name="buffer"/>, growing it (once, at the first read of a
    /// large file) when the content fills it.
    /// </summary>
    /// <param name="buffer">The reused buffer; replaced by a larger one when too small.</param>
    /// <param name="length">The number of bytes read.</param>
    /// <returns>Null on success; else the failure (never thrown).</returns>
    public Exception? TryRead(ref byte[] buffer, out int length)
    {
        try
        {
            while (true)
            {
                length = RandomAccess.Read(_handle, buffer, fileOffset: 0);
                if (length < buffer.Length || buffer.Length >= MaxBufferBytes)
                {
                    return null;
                }

                buffer = new byte[buffer.Length * 2];
            }
        }
        catch (Exception e) when (IsIoFailure(e))
        {
            length = 0;
            return e;
        }
    }

    public void Dispose() => _handle.Dispose();
}
