using System.Globalization;
using System.Text;

namespace MemoryContracts;

/// <summary>
/// The files of the <c>dump</c> response: a private directory (mode 0700, under the temp directory
/// unless configured), dump files created new (never overwriting, never following a symbolic link)
/// with mode 0600, named by UTC time so that name order is age order, and the pruning of the oldest
/// past <see cref="DumpPolicy.MaxFiles"/>.
/// </summary>
internal static class DumpDirectory
{
    /// <summary>The prefix of every dump file name.</summary>
    public const string FilePrefix = "memory-dump-";

    /// <summary>The extension of every dump file name.</summary>
    public const string FileExtension = ".dmp";

    private const string DefaultDirectoryPrefix = "memory-contracts-dumps-";
    private const int MaxNameAttempts = 100;
    private const UnixFileMode PrivateDirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Gets the default directory: <c>memory-contracts-dumps-{user}</c> under the temp directory.</summary>
    public static string DefaultPath => Path.Combine(Path.GetTempPath(), DefaultDirectoryPrefix + SafeName(Environment.UserName));

    /// <summary>
    /// Returns the absolute dump directory, created when missing (mode 0700). The default directory
    /// must be a real directory this user owns (not a symbolic link another user planted): its mode is
    /// set to 0700 again, which only its owner may do.
    /// </summary>
    /// <param name="configured">The configured directory (<see cref="DumpPolicy.Directory"/>), or <see langword="null"/> for the default.</param>
    /// <returns>The directory's absolute path.</returns>
    /// <exception cref="IOException">The default directory is a symbolic link or not a directory.</exception>
    /// <exception cref="UnauthorizedAccessException">The default directory belongs to another user.</exception>
    public static string Ensure(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var full = Path.GetFullPath(configured);
            CreatePrivate(full);
            return full;
        }

        return EnsurePrivate(DefaultPath);
    }

    /// <summary>
    /// Creates <paramref name="path"/> when missing (mode 0700) and makes sure it is a real directory
    /// this user owns: not a symbolic link, and its mode set to 0700 again (only its owner may).
    /// </summary>
    /// <param name="path">The absolute directory path.</param>
    /// <returns><paramref name="path"/>.</returns>
    /// <exception cref="IOException">The path is a symbolic link or not a directory.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory belongs to another user.</exception>
    public static string EnsurePrivate(string path)
    {
        // Checked after the creation: in the sticky temp directory, a directory this user created
        // cannot be replaced by another user, and one they created first fails the chmod below.
        CreatePrivate(path);
        if (new FileInfo(path).LinkTarget is not null)
        {
            throw new IOException($"the dump directory '{path}' is a symbolic link; dumps are not written through it (remove it, or set responses.dump.directory)");
        }

        if (!OperatingSystem.IsWindows())
        {
            // Fails with UnauthorizedAccessException unless this user owns the directory.
            File.SetUnixFileMode(path, PrivateDirectoryMode);
        }

        return path;
    }

    /// <summary>
    /// Creates a new empty dump file in <paramref name="directory"/> named for <paramref name="now"/>
    /// and this process (<c>memory-dump-20260101T000000000Z-1234.dmp</c>; <c>-1</c>, <c>-2</c>… appended
    /// when taken), mode 0600, never opening an existing file or a symbolic link.
    /// </summary>
    /// <param name="directory">The dump directory (from <see cref="Ensure"/>).</param>
    /// <param name="now">The time the dump starts.</param>
    /// <returns>The new file's path.</returns>
    public static string CreateFile(string directory, DateTimeOffset now)
    {
        var stem = string.Create(CultureInfo.InvariantCulture, $"{FilePrefix}{now.UtcDateTime:yyyyMMdd'T'HHmmssfff'Z'}-{Environment.ProcessId}");
        for (var attempt = 0; attempt < MaxNameAttempts; attempt++)
        {
            var name = attempt == 0 ? stem : string.Create(CultureInfo.InvariantCulture, $"{stem}-{attempt}");
            var path = Path.Combine(directory, name + FileExtension);
            if (Path.Exists(path))
            {
                continue;
            }

            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = PrivateFileMode;
            }

            try
            {
                // CreateNew is O_CREAT | O_EXCL: it fails on an existing file or symbolic link.
                new FileStream(path, options).Dispose();
                return path;
            }
            catch (IOException) when (new FileInfo(path).LinkTarget is not null)
            {
                // A dangling symbolic link holds the name: take the next one, never follow it.
            }
        }

        throw new IOException($"no free dump file name for '{stem}' in '{directory}' after {MaxNameAttempts} attempts");
    }

    /// <summary>Sets a written dump's mode to 0600 again (the dump tool may have recreated it).</summary>
    /// <param name="path">The dump file.</param>
    public static void Restrict(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, PrivateFileMode);
        }
    }

    /// <summary>The dump files in <paramref name="directory"/>, newest first.</summary>
    /// <param name="directory">The dump directory.</param>
    /// <returns>Their paths.</returns>
    public static string[] List(string directory)
    {
        var files = Directory.GetFiles(directory, FilePrefix + "*" + FileExtension);
        Array.Sort(files, static (a, b) => string.CompareOrdinal(Path.GetFileName(b), Path.GetFileName(a)));
        return files;
    }

    /// <summary>Deletes the oldest dump files past <paramref name="maxFiles"/>.</summary>
    /// <param name="directory">The dump directory.</param>
    /// <param name="maxFiles">How many to keep; at least 1.</param>
    /// <returns>The paths deleted.</returns>
    public static IReadOnlyList<string> Prune(string directory, int maxFiles)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxFiles, 1);
        var files = List(directory);
        if (files.Length <= maxFiles)
        {
            return [];
        }

        var deleted = new List<string>(files.Length - maxFiles);
        for (var i = maxFiles; i < files.Length; i++)
        {
            File.Delete(files[i]);
            deleted.Add(files[i]);
        }

        return deleted;
    }

    private static void CreatePrivate(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, PrivateDirectoryMode);
        }
    }

    private static string SafeName(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_');
        }

        return builder.Length == 0 ? "user" : builder.ToString();
    }
}
