namespace MemoryContracts.Tests.Diagnostics;

/// <summary><see cref="DumpFiles"/>: dump file names, creation through <see cref="PrivateDirectory"/>, and pruning.</summary>
public sealed class DumpFilesTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 4, 5, 6, 7, 89, TimeSpan.Zero);
    private readonly string _root = Directory.CreateTempSubdirectory("mc-dumpfiles-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Create_New_EmptyMode0600NamedForTimeAndProcess()
    {
        var path = DumpFiles.Create(_root, Now);

        Assert.StartsWith($"memory-dump-20260304T050607089Z-{Environment.ProcessId}-", Path.GetFileName(path), StringComparison.Ordinal);
        Assert.EndsWith(".dmp", path, StringComparison.Ordinal);
        Assert.Equal(0, new FileInfo(path).Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void Create_SameTimeTwice_NeverOverwrites()
    {
        var first = DumpFiles.Create(_root, Now);
        File.WriteAllText(first, "keep");

        var second = DumpFiles.Create(_root, Now);

        Assert.NotEqual(first, second);
        Assert.Equal("keep", File.ReadAllText(first));
    }

    [Fact]
    public void Restrict_FileOpenedUp_Mode0600Again()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var path = DumpFiles.Create(_root, Now);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        DumpFiles.Restrict(path);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Prune_PastMaxFiles_DeletesOldestKeepsOthers()
    {
        var paths = Enumerable.Range(0, 4).Select(i => DumpFiles.Create(_root, Now.AddMinutes(i))).ToArray();
        var snapshot = Path.Combine(_root, "memory-snapshot-20260304T050607089Z-1-abc.json");
        File.WriteAllText(snapshot, "{}");

        var deleted = DumpFiles.Prune(_root, 2);

        Assert.Equal([paths[1], paths[0]], deleted);
        Assert.Equal([paths[3], paths[2]], DumpFiles.List(_root));
        Assert.True(File.Exists(snapshot));
    }

    [Fact]
    public void Prune_BelowMaxFiles_DeletesNothing()
    {
        DumpFiles.Create(_root, Now);

        Assert.Empty(DumpFiles.Prune(_root, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => DumpFiles.Prune(_root, 0));
    }
}
