namespace MemoryContracts.Tests.Diagnostics;

public sealed class DumpDirectoryTests : IDisposable
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private static readonly DateTimeOffset Now = new(2026, 3, 4, 5, 6, 7, 89, TimeSpan.Zero);
    private readonly string _root = Directory.CreateTempSubdirectory("mc-dumpdir-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void DefaultPath_IsUnderTempDirectory()
    {
        Assert.StartsWith(Path.GetTempPath(), DumpDirectory.DefaultPath, StringComparison.Ordinal);
        Assert.Contains("memory-contracts-dumps-", DumpDirectory.DefaultPath, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsurePrivate_Missing_CreatedWithMode0700()
    {
        var path = Path.Combine(_root, "dumps");

        DumpDirectory.EnsurePrivate(path);

        Assert.True(Directory.Exists(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(Private, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void EnsurePrivate_ExistingOpenDirectory_MadePrivate()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var path = Path.Combine(_root, "open");
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, Private | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        DumpDirectory.EnsurePrivate(path);

        Assert.Equal(Private, File.GetUnixFileMode(path));
    }

    [Fact]
    public void EnsurePrivate_SymbolicLink_Refused()
    {
        var target = Directory.CreateDirectory(Path.Combine(_root, "elsewhere")).FullName;
        var link = Path.Combine(_root, "link");
        Directory.CreateSymbolicLink(link, target);

        var e = Assert.Throws<IOException>(() => DumpDirectory.EnsurePrivate(link));

        Assert.Contains("symbolic link", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ensure_Configured_ReturnsAbsolutePathCreated()
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, Path.Combine(_root, "configured"));

        var path = DumpDirectory.Ensure(relative);

        Assert.True(Path.IsPathFullyQualified(path));
        Assert.True(Directory.Exists(path));
    }

    [Fact]
    public void CreateFile_New_EmptyMode0600NamedForTime()
    {
        var path = DumpDirectory.CreateFile(_root, Now);

        Assert.Equal($"memory-dump-20260304T050607089Z-{Environment.ProcessId}.dmp", Path.GetFileName(path));
        Assert.Equal(0, new FileInfo(path).Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void CreateFile_NameTaken_NeverOverwritesTakesNext()
    {
        var first = DumpDirectory.CreateFile(_root, Now);
        File.WriteAllText(first, "keep");

        var second = DumpDirectory.CreateFile(_root, Now);

        Assert.NotEqual(first, second);
        Assert.EndsWith($"-{Environment.ProcessId}-1.dmp", second, StringComparison.Ordinal);
        Assert.Equal("keep", File.ReadAllText(first));
    }

    [Fact]
    public void CreateFile_DanglingSymbolicLinkAtName_NotFollowed()
    {
        var target = Path.Combine(_root, "target-outside");
        var name = $"memory-dump-20260304T050607089Z-{Environment.ProcessId}.dmp";
        File.CreateSymbolicLink(Path.Combine(_root, name), target);

        var path = DumpDirectory.CreateFile(_root, Now);

        Assert.NotEqual(name, Path.GetFileName(path));
        Assert.False(File.Exists(target));
    }

    [Fact]
    public void Prune_PastMaxFiles_DeletesOldestKeepsOthers()
    {
        var paths = Enumerable.Range(0, 4).Select(i => DumpDirectory.CreateFile(_root, Now.AddMinutes(i))).ToArray();
        var unrelated = Path.Combine(_root, "notes.txt");
        File.WriteAllText(unrelated, "x");

        var deleted = DumpDirectory.Prune(_root, 2);

        Assert.Equal([paths[1], paths[0]], deleted);
        Assert.Equal([paths[3], paths[2]], DumpDirectory.List(_root));
        Assert.True(File.Exists(unrelated));
    }

    [Fact]
    public void Prune_BelowMaxFiles_DeletesNothing()
    {
        DumpDirectory.CreateFile(_root, Now);

        Assert.Empty(DumpDirectory.Prune(_root, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => DumpDirectory.Prune(_root, 0));
    }
}
