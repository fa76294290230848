using System.Globalization;
using System.Runtime.Versioning;
using System.Security.Cryptography;

namespace MemoryContracts;

/// <summary>
/// Private diagnostic files (snapshots, dumps): a directory only this user can enter (0700), and
/// files created new — never overwriting, never following a symbolic link planted at their name —
/// that only this user can read (0600). The default directory is
/// <c>memory-contracts-&lt;euid&gt;</c> under the temp directory.
/// </summary>
internal static class PrivateDirectory
{
    /// <summary>The mode of a directory this class creates: 0700.</summary>
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>The mode of a file this class creates: 0600.</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private const int NameAttempts = 4;

    private static string? s_defaultPath;

    /// <summary>Gets the default private directory: <c>memory-contracts-&lt;euid&gt;</c> (Windows: <c>memory-contracts</c>, the temp directory being per user) under the temp directory.</summary>
    public static string DefaultPath => s_defaultPath ??= Path.Combine(Path.GetTempPath(), DefaultName());

    /// <summary>
    /// Makes <paramref name="path"/> a usable private directory: creates it (mode 0700) when missing;
    /// an existing one must be a directory — not a symbolic link — owned by this user, with no access
    /// for group or others. Nothing existing is changed.
    /// </summary>
    /// <returns><see langword="null"/> when the directory is private; else why it is refused.</returns>
    public static string? Prepare(string path) =>
        OperatingSystem.IsWindows() ? PrepareWindows(path) : Prepare(path, UnixFileStatus.EffectiveUserId);

    /// <summary><see cref="Prepare(string)"/> on Unix, for a given owner.</summary>
    [UnsupportedOSPlatform("windows")]
    internal static string? Prepare(string path, uint owner)
    {
        try
        {
            if (!UnixFileStatus.TryLStat(path, out _))
            {
                Directory.CreateDirectory(path, DirectoryMode);
            }

            // Checked after creating: whoever created it, what is there now is what gets used.
            if (!UnixFileStatus.TryLStat(path, out var status))
            {
                return "it cannot be read";
            }

            if (status.IsSymbolicLink)
            {
                return "it is a symbolic link";
            }

            if (!status.IsDirectory)
            {
                return "it is not a directory";
            }

            if (status.Owner != owner)
            {
                return string.Create(CultureInfo.InvariantCulture, $"it is owned by uid {status.Owner}, not {owner}");
            }

            if ((status.Mode & GroupOrOther) != 0)
            {
                return string.Create(CultureInfo.InvariantCulture, $"its mode {Convert.ToString((int)status.Mode, 8)} lets group or others in");
            }

            return null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or DllNotFoundException or EntryPointNotFoundException)
        {
            return exception.Message;
        }
    }

    /// <summary>
    /// Creates <paramref name="path"/> (and missing parents) with mode 0700 when missing; leaves an
    /// existing directory as it is (one the operator chose).
    /// </summary>
    public static void CreateIfMissing(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, DirectoryMode);
        }
    }

    /// <summary>
    /// Creates the file <paramref name="path"/>, mode 0600, open for asynchronous writing. Fails with
    /// an <see cref="IOException"/> if anything — a file, a symbolic link, dangling or not — is there.
    /// </summary>
    public static FileStream CreateNew(string path)
    {
        var options = new FileStreamOptions
        {
            Mode = System.IO.FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.Read,
            Options = FileOptions.Asynchronous,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        return new FileStream(path, options);
    }

    /// <summary>
    /// Creates a new file named <c>{prefix}-{random}{extension}</c> in <paramref name="directory"/> with
    /// <see cref="CreateNew"/>, trying other random names if one is taken.
    /// </summary>
    public static FileStream CreateUnique(string directory, string prefix, string extension, out string path)
    {
        for (var attempt = 1; ; attempt++)
        {
            var candidate = Path.Combine(directory, prefix + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)) + extension);
            try
            {
                var stream = CreateNew(candidate);
                path = candidate;
                return stream;
            }
            catch (IOException) when (attempt < NameAttempts && IsTaken(candidate))
            {
            }
        }
    }

    private static string DefaultName()
    {
        if (OperatingSystem.IsWindows())
        {
            return "memory-contracts";
        }

        try
        {
            return "memory-contracts-" + UnixFileStatus.EffectiveUserId.ToString(CultureInfo.InvariantCulture);
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
        {
            // Without the runtime's native shim (NativeAOT), Prepare refuses the directory anyway:
            // its owner cannot be checked. The name still differs per user.
            return "memory-contracts-" + string.Concat(Environment.UserName.Where(char.IsAsciiLetterOrDigit));
        }
    }

    private static bool IsTaken(string path) => Path.Exists(path) || new FileInfo(path).LinkTarget is not null;

    private static string? PrepareWindows(string path)
    {
        try
        {
            Directory.CreateDirectory(path);
            return (File.GetAttributes(path) & FileAttributes.ReparsePoint) != 0 ? "it is a link" : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return exception.Message;
        }
    }
}
