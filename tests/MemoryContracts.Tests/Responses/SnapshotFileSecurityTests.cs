using System.Runtime.Versioning;
using System.Globalization;
using MemoryContracts.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts.Tests.Responses;

/// <summary>
/// Issue 10, defect 9: snapshot files are created new (never overwriting, never following a
/// symbolic link), mode 0600, by default in a private 0700 directory under the temp directory.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class SnapshotFileSecurityTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mc-snapshot-security-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static MemoryContract SnapshotAtElevated(string? directory) => TestContracts.SingleModule(1000, responses: new ResponsePolicy
    {
        Elevated = ["snapshot"],
        High = [],
        Critical = [],
        Snapshot = new SnapshotPolicy { Directory = directory },
    });

    private static SnapshotResponder Responder(GuardFixture f) =>
        f.Services.GetServices<IMemoryPressureResponder>().OfType<SnapshotResponder>().Single();

    [UnixFact]
    public async Task Snapshot_ConfiguredDirectory_FileMode0600()
    {
        await using var f = GuardFixture.Create(SnapshotAtElevated(_root));

        await f.TickAsync(850);

        var file = Assert.Single(Directory.GetFiles(_root, "memory-snapshot-*.json"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }

    [UnixFact]
    public async Task Snapshot_ConfiguredDirectoryMissing_CreatedWithMode0700()
    {
        var directory = Path.Combine(_root, "snapshots");
        await using var f = GuardFixture.Create(SnapshotAtElevated(directory));

        await f.TickAsync(850);

        Assert.Single(Directory.GetFiles(directory, "memory-snapshot-*.json"));
        Assert.Equal(PrivateDirectory.DirectoryMode, File.GetUnixFileMode(directory));
    }

    [UnixFact]
    public async Task Snapshot_DirectoryUnset_WritesInPrivateDirectoryUnderTemp()
    {
        await using var f = GuardFixture.Create(SnapshotAtElevated(null));
        var responder = Responder(f);

        await f.TickAsync(850);

        var path = responder.LastPath;
        Assert.NotNull(path);
        try
        {
            var directory = Path.GetDirectoryName(path)!;
            Assert.Equal(Path.Combine(Path.GetTempPath(), "memory-contracts-" + UnixFileStatus.EffectiveUserId), directory);
            Assert.Equal(PrivateDirectory.DirectoryMode, File.GetUnixFileMode(directory));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [UnixFact]
    public async Task Snapshot_SymbolicLinksPlantedAtPredictableNames_NotFollowed()
    {
        // The old names were memory-snapshot-{time}-{pid}.json: plant a link at every name the
        // first ticks could use, all pointing at a file the attacker wants overwritten.
        var victim = Path.Combine(_root, "victim");
        await File.WriteAllTextAsync(victim, "precious");
        var snapshots = Path.Combine(_root, "snapshots");
        Directory.CreateDirectory(snapshots);
        await using var f = GuardFixture.Create(SnapshotAtElevated(snapshots));
        var time = f.Time.GetUtcNow();
        for (var tick = 0; tick <= 3; tick++)
        {
            var at = time + (tick * f.Guard.Plan.Contract.SamplingInterval);
            var name = string.Create(CultureInfo.InvariantCulture, $"memory-snapshot-{at:yyyyMMdd'T'HHmmssfff'Z'}-{Environment.ProcessId}.json");
            File.CreateSymbolicLink(Path.Combine(snapshots, name), victim);
        }

        await f.TickAsync(850);

        Assert.Equal("precious", await File.ReadAllTextAsync(victim));
        var written = Responder(f).LastPath;
        Assert.NotNull(written);
        Assert.Null(new FileInfo(written).LinkTarget);
        Assert.Contains("\"level\"", await File.ReadAllTextAsync(written), StringComparison.Ordinal);
    }

    [UnixFact]
    public async Task Snapshot_DefaultDirectoryIsSymbolicLink_RefusedAndLogged()
    {
        var target = Path.Combine(_root, "attacker-owned");
        Directory.CreateDirectory(target, PrivateDirectory.DirectoryMode);
        var planted = Path.Combine(_root, "memory-contracts-planted");
        Directory.CreateSymbolicLink(planted, target);
        await using var f = GuardFixture.Create(SnapshotAtElevated(null));
        var responder = Responder(f);
        responder.DefaultDirectory = planted;

        await f.TickAsync(850);

        Assert.Empty(Directory.GetFiles(target));
        Assert.Null(responder.LastPath);
        var refused = Assert.Single(f.Logs.WithEvent(252));
        Assert.Contains("symbolic link", refused.Message, StringComparison.Ordinal);
        Assert.Empty(f.Logs.WithEvent(103));
    }

    [UnixFact]
    public async Task Snapshot_DefaultDirectoryOpenToOthers_RefusedAndLeftAlone()
    {
        var shared = Path.Combine(_root, "memory-contracts-shared");
        Directory.CreateDirectory(shared);
        File.SetUnixFileMode(shared, (UnixFileMode)0b111_111_111);
        await using var f = GuardFixture.Create(SnapshotAtElevated(null));
        var responder = Responder(f);
        responder.DefaultDirectory = shared;

        await f.TickAsync(850);

        Assert.Empty(Directory.GetFiles(shared));
        Assert.Single(f.Logs.WithEvent(252));
        Assert.Equal((UnixFileMode)0b111_111_111, File.GetUnixFileMode(shared));
    }
}
