using System.Globalization;

namespace MemoryContracts;

/// <summary>
/// The files of the <c>dump</c> response, in a <see cref="PrivateDirectory"/> (the snapshots' helper:
/// directory 0700, files created new with mode 0600, never overwriting, never following a symbolic
/// link): named <c>memory-dump-{UTC time}-{pid}-{random}.dmp</c>, so that name order is age order, and
/// the oldest pruned past <see cref="DumpPolicy.MaxFiles"/>. Files of other names (snapshots) are left alone.
/// </summary>
internal static class DumpFiles
{
    /// <summary>The prefix of every dump file name.</summary>
    public const string FilePrefix = "memory-dump-";

    /// <summary>The extension of every dump file name.</summary>
    public const string FileExtension = ".dmp";

    /// <summary>
    /// Creates a new empty dump file in <paramref name="directory"/> named for <paramref name="now"/>
    /// and this process, mode 0600 (<see cref="PrivateDirectory.CreateUnique"/>).
    /// </summary>
    /// <param name="directory">The dump directory, private or chosen by the operator.</param>
    /// <param name="now">The time the dump starts.</param>
    /// <returns>The new file's path.</returns>
    public static string Create(string directory, DateTimeOffset now)
    {
        var stem = string.Create(CultureInfo.InvariantCulture, $"{FilePrefix}{now.UtcDateTime:yyyyMMdd'T'HHmmssfff'Z'}-{Environment.ProcessId}");
        PrivateDirectory.CreateUnique(directory, stem, FileExtension, out var path).Dispose();
        return path;
    }

    /// <summary>Sets a written dump's mode to 0600 again (the dump tool may have recreated it).</summary>
    /// <param name="path">The dump file.</param>
    public static void Restrict(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, PrivateDirectory.FileMode);
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
}
