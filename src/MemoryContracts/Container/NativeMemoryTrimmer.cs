using System.Runtime.InteropServices;

namespace MemoryContracts;

/// <summary>
/// glibc's <c>malloc_trim(0)</c>: releases free memory at the top of every malloc arena and, since
/// glibc 2.8, free whole pages inside them (<c>madvise(MADV_DONTNEED)</c>), so native memory that
/// was freed stops counting in the cgroup's working set. Where the C library has no such function
/// (musl, Windows, macOS) the first call finds out and every call after is a no-op.
/// </summary>
internal sealed class NativeMemoryTrimmer : INativeMemoryTrimmer
{
    private volatile string? _unsupportedReason;

    public string? UnsupportedReason => _unsupportedReason;

    public NativeTrimOutcome Trim()
    {
        if (_unsupportedReason is not null)
        {
            return NativeTrimOutcome.Unsupported;
        }

        if (!OperatingSystem.IsLinux())
        {
            _unsupportedReason = $"malloc_trim is a glibc function and this is {RuntimeInformation.OSDescription}";
            return NativeTrimOutcome.Unsupported;
        }

        try
        {
            return MallocTrim(0) != 0 ? NativeTrimOutcome.Released : NativeTrimOutcome.NothingReleased;
        }
        catch (EntryPointNotFoundException)
        {
            _unsupportedReason = "the C library has no malloc_trim (not glibc; musl, e.g. Alpine, has none)";
        }
        catch (DllNotFoundException e)
        {
            _unsupportedReason = $"the C library could not be loaded ({e.Message})";
        }

        return NativeTrimOutcome.Unsupported;
    }

    // "libc" is mapped by the runtime to the platform's C library (libc.so.6 on glibc). A plain
    // DllImport: the signature is blittable (no marshalling stub), and LibraryImport would need
    // AllowUnsafeBlocks for the whole library.
    [DllImport("libc", EntryPoint = "malloc_trim", ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MallocTrim(nuint pad);
}
