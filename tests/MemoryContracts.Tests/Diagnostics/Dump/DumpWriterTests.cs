using MemoryContracts.Tests.Examples;
using MemoryContracts.Tests.Infrastructure;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace MemoryContracts.Tests.Diagnostics.Dump;

/// <summary>
/// Real dumps through the runtime's diagnostics channel, of a child .NET process (<see cref="DumpTarget"/>):
/// a dump suspends the process it is taken of, and a stalled dump must fail these tests, not freeze the
/// run. Alone, because writing a dump with the heap is heavy on a 2-core machine.
/// </summary>
[Collection(RunsAlone.Name)]
public sealed class DumpWriterTests(ITestOutputHelper output) : IDisposable
{
    private const long TwoGigabytes = 2L * 1024 * 1024 * 1024;
    private readonly string _directory = Directory.CreateTempSubdirectory("mc-realdump-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task WriteAsync_NormalDumpOfADotNetProcess_WritesFile()
    {
        using var target = await DumpTarget.StartAsync(TimeSpan.FromSeconds(60));
        var path = DumpFiles.Create(_directory, DateTimeOffset.UtcNow);
        var writer = new DiagnosticsClientDumpWriter(DumpType.Normal, target.ProcessId);

        await writer.WriteAsync(path, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        var length = new FileInfo(path).Length;
        output.WriteLine($"Normal dump: {length / (1024 * 1024)} MB");
        Assert.InRange(length, 1024, TwoGigabytes);
    }

    [Fact]
    public async Task DumpResponder_WithHeap_WritesPrivateDumpUnderTwoGigabytes()
    {
        using var target = await DumpTarget.StartAsync(TimeSpan.FromSeconds(60));
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var responder = new DumpResponder(
            new DiagnosticsClientDumpWriter(DumpType.WithHeap, target.ProcessId),
            _ => new DumpPolicy { Directory = _directory },
            time,
            NullLogger<DumpResponder>.Instance);
        var contract = TestContracts.SingleModule(1000, responses: new ResponsePolicy { Elevated = [], High = ["dump"], Critical = [] });
        var change = new MemoryPressureChange(PressureLevel.Normal, new MemoryPressureSnapshot(PressureLevel.High, 92, 1000 * TestContracts.MB, time.GetUtcNow(), []), contract);

        await responder.OnLevelChangedAsync(change, CancellationToken.None);
        await responder.Pending.WaitAsync(TimeSpan.FromSeconds(90));

        Assert.NotNull(responder.LastPath);
        var file = Assert.Single(Directory.GetFiles(_directory));
        output.WriteLine($"WithHeap dump: {new FileInfo(file).Length / (1024 * 1024)} MB");
        Assert.InRange(new FileInfo(file).Length, 1024 * 1024, TwoGigabytes);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
    }
}
