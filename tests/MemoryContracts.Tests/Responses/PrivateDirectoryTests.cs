using System.Runtime.Versioning;

namespace MemoryContracts.Tests.Responses;

/// <summary>The private directory and new-file helper shared by the snapshot (and dump) responders.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class PrivateDirectoryTests : IDisposable
{
    private const UnixFileMode GroupOrOther = (UnixFileMode)0b000_111_111;

    private readonly string _root = Directory.CreateTempSubdirectory("mc-private-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [UnixFact]
    public void Prepare_Missing_CreatesItWithMode0700()
    {
        var path = Path.Combine(_root, "private");

        Assert.Null(PrivateDirectory.Prepare(path));

        Assert.True(Directory.Exists(path));
        Assert.Equal(PrivateDirectory.DirectoryMode, File.GetUnixFileMode(path));
    }

    [UnixFact]
    public void Prepare_ExistingPrivateDirectory_Accepted()
    {
        var path = Path.Combine(_root, "private");
        Directory.CreateDirectory(path, PrivateDirectory.DirectoryMode);

        Assert.Null(PrivateDirectory.Prepare(path));
        Assert.Null(PrivateDirectory.Prepare(path));
    }

    [UnixFact]
    public void Prepare_SymbolicLinkToPrivateDirectory_Refused()
    {
        var target = Path.Combine(_root, "elsewhere");
        Directory.CreateDirectory(target, PrivateDirectory.DirectoryMode);
        var path = Path.Combine(_root, "private");
        Directory.CreateSymbolicLink(path, target);

        Assert.Contains("symbolic link", PrivateDirectory.Prepare(path), StringComparison.Ordinal);
    }

    [UnixFact]
    public void Prepare_DanglingSymbolicLink_RefusedAndNotCreated()
    {
        var target = Path.Combine(_root, "planted-target");
        var path = Path.Combine(_root, "private");
        File.CreateSymbolicLink(path, target);

        Assert.NotNull(PrivateDirectory.Prepare(path));
        Assert.False(Path.Exists(target));
    }

    [UnixFact]
    public void Prepare_GroupOrOtherAccessible_RefusedAndLeftAlone()
    {
        var path = Path.Combine(_root, "shared");
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, PrivateDirectory.DirectoryMode | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        Assert.Contains("755", PrivateDirectory.Prepare(path), StringComparison.Ordinal);
        Assert.NotEqual((UnixFileMode)0, File.GetUnixFileMode(path) & GroupOrOther);
    }

    [UnixFact]
    public void Prepare_RegularFile_Refused()
    {
        var path = Path.Combine(_root, "file");
        File.WriteAllText(path, "x");

        Assert.Contains("not a directory", PrivateDirectory.Prepare(path), StringComparison.Ordinal);
    }

    [UnixFact]
    public void Prepare_OwnedBySomeoneElse_Refused()
    {
        var path = Path.Combine(_root, "private");
        Directory.CreateDirectory(path, PrivateDirectory.DirectoryMode);
        var someoneElse = UnixFileStatus.EffectiveUserId + 1;

        Assert.Contains("owned by uid", PrivateDirectory.Prepare(path, someoneElse), StringComparison.Ordinal);
    }

    [UnixFact]
    public void DefaultPath_UnderTempNamedForThisUser()
    {
        Assert.Equal(Path.GetTempPath(), Path.GetDirectoryName(PrivateDirectory.DefaultPath) + Path.DirectorySeparatorChar);
        Assert.Equal("memory-contracts-" + UnixFileStatus.EffectiveUserId, Path.GetFileName(PrivateDirectory.DefaultPath));
    }

    [UnixFact]
    public async Task CreateNew_NewFile_Mode0600()
    {
        var path = Path.Combine(_root, "new.json");

        await using (var stream = PrivateDirectory.CreateNew(path))
        {
            stream.WriteByte(1);
        }

        Assert.Equal(PrivateDirectory.FileMode, File.GetUnixFileMode(path));
        Assert.Equal(1, new FileInfo(path).Length);
    }

    [UnixFact]
    public void CreateNew_SymbolicLinkPlantedAtName_NotFollowedNorOverwritten()
    {
        var victim = Path.Combine(_root, "victim");
        File.WriteAllText(victim, "precious");
        var path = Path.Combine(_root, "snapshot.json");
        File.CreateSymbolicLink(path, victim);

        Assert.ThrowsAny<IOException>(() => PrivateDirectory.CreateNew(path));

        Assert.Equal("precious", File.ReadAllText(victim));
        Assert.Equal(victim, new FileInfo(path).LinkTarget);
    }

    [UnixFact]
    public void CreateNew_DanglingSymbolicLinkAtName_TargetNotCreated()
    {
        var target = Path.Combine(_root, "would-be-created");
        var path = Path.Combine(_root, "snapshot.json");
        File.CreateSymbolicLink(path, target);

        Assert.ThrowsAny<IOException>(() => PrivateDirectory.CreateNew(path));

        Assert.False(File.Exists(target));
    }

    [Fact]
    public void CreateNew_ExistingFile_NotOverwritten()
    {
        var path = Path.Combine(_root, "snapshot.json");
        File.WriteAllText(path, "earlier snapshot");

        Assert.ThrowsAny<IOException>(() => PrivateDirectory.CreateNew(path));

        Assert.Equal("earlier snapshot", File.ReadAllText(path));
    }

    [Fact]
    public async Task CreateUnique_TwiceWithSamePrefix_TwoNewFiles()
    {
        await using var first = PrivateDirectory.CreateUnique(_root, "memory-snapshot-x", ".json", out var firstPath);
        await using var second = PrivateDirectory.CreateUnique(_root, "memory-snapshot-x", ".json", out var secondPath);

        Assert.NotEqual(firstPath, secondPath);
        Assert.StartsWith(Path.Combine(_root, "memory-snapshot-x-"), firstPath, StringComparison.Ordinal);
        Assert.EndsWith(".json", secondPath, StringComparison.Ordinal);
        Assert.Equal(2, Directory.GetFiles(_root).Length);
    }
}
