using MemoryContracts.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace MemoryContracts.Tests.Diagnostics;

public sealed class DumpResponderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mc-dump-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly FakeLoggerProvider _logs = new();
    private readonly ILoggerFactory _loggerFactory;

    public DumpResponderTests() => _loggerFactory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(_logs));

    public void Dispose()
    {
        _loggerFactory.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private DumpPolicy Policy(TimeSpan? minInterval = null, int maxFiles = 2) =>
        new() { Directory = _directory, MinInterval = minInterval ?? TimeSpan.FromSeconds(3600), MaxFiles = maxFiles };

    private DumpResponder Responder(IDumpWriter writer, DumpPolicy policy) =>
        new(writer, _ => policy, _time, _loggerFactory.CreateLogger<DumpResponder>());

    private MemoryPressureChange Change(PressureLevel level = PressureLevel.High, IReadOnlyList<string>? high = null)
    {
        var contract = TestContracts.SingleModule(1000, responses: new ResponsePolicy { Elevated = [], High = high ?? ["dump"], Critical = ["dump"] });
        var snapshot = new MemoryPressureSnapshot(level, 92, 1000 * TestContracts.MB, _time.GetUtcNow(), []);
        return new MemoryPressureChange(PressureLevel.Normal, snapshot, contract);
    }

    private async Task RespondAsync(DumpResponder responder, MemoryPressureChange? change = null)
    {
        await responder.OnLevelChangedAsync(change ?? Change(), CancellationToken.None);
        await responder.Pending;
    }

    [Fact]
    public void Name_IsDump()
    {
        Assert.Equal("dump", Responder(new FakeDumpWriter(), Policy()).Name);
    }

    [Fact]
    public async Task OnLevelChanged_NotNamedForLevel_WritesNothing()
    {
        var writer = new FakeDumpWriter();
        var responder = Responder(writer, Policy());

        await RespondAsync(responder, Change(high: ["alert"]));

        Assert.Equal(0, writer.Calls);
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public async Task OnLevelChanged_Named_WritesOneDumpFileMode0600()
    {
        var writer = new FakeDumpWriter();
        var responder = Responder(writer, Policy());

        await RespondAsync(responder);

        var file = Assert.Single(Directory.GetFiles(_directory));
        Assert.Equal(file, responder.LastPath);
        Assert.StartsWith("memory-dump-20260101T000000000Z-", Path.GetFileName(file), StringComparison.Ordinal);
        Assert.EndsWith(".dmp", file, StringComparison.Ordinal);
        Assert.Equal(FakeDumpWriter.Content.Length, new FileInfo(file).Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        Assert.Single(_logs.WithEvent(720));
    }

    [Fact]
    public async Task OnLevelChanged_WithinMinInterval_SkipsUntilIntervalPassed()
    {
        var writer = new FakeDumpWriter();
        var responder = Responder(writer, Policy(TimeSpan.FromSeconds(3600)));

        await RespondAsync(responder);
        _time.Advance(TimeSpan.FromSeconds(3599));
        await RespondAsync(responder);

        Assert.Equal(1, writer.Calls);
        Assert.Single(_logs.WithEvent(721));

        _time.Advance(TimeSpan.FromSeconds(1));
        await RespondAsync(responder);

        Assert.Equal(2, writer.Calls);
        Assert.Equal(2, Directory.GetFiles(_directory).Length);
    }

    [Fact]
    public async Task OnLevelChanged_ReturnsBeforeTheDumpIsWritten()
    {
        var writer = new FakeDumpWriter { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var responder = Responder(writer, Policy());

        var call = responder.OnLevelChangedAsync(Change(), CancellationToken.None);

        Assert.True(call.IsCompleted);
        await writer.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(responder.IsWriting);
        Assert.False(responder.Pending.IsCompleted);

        writer.Gate.SetResult();
        await responder.Pending;
        Assert.False(responder.IsWriting);
    }

    [Fact]
    public async Task OnLevelChanged_WhileOneIsBeingWritten_NeverStartsAnother()
    {
        var writer = new FakeDumpWriter { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var responder = Responder(writer, Policy(TimeSpan.Zero));

        await responder.OnLevelChangedAsync(Change(), CancellationToken.None);
        await writer.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var first = responder.Pending;
        _time.Advance(TimeSpan.FromHours(2));
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => responder.OnLevelChangedAsync(Change(), CancellationToken.None).AsTask()));

        Assert.Same(first, responder.Pending);
        Assert.Equal(4, _logs.WithEvent(722).Count);
        writer.Gate.SetResult();
        await first;
        Assert.Equal(1, writer.Calls);
    }

    [Fact]
    public async Task OnLevelChanged_PastMaxFiles_DeletesTheOldest()
    {
        var writer = new FakeDumpWriter();
        var responder = Responder(writer, Policy(TimeSpan.Zero, maxFiles: 2));
        var written = new List<string>();

        for (var i = 0; i < 4; i++)
        {
            await RespondAsync(responder);
            written.Add(responder.LastPath!);
            _time.Advance(TimeSpan.FromMinutes(1));
        }

        var left = Directory.GetFiles(_directory).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(written.Skip(2).Order(StringComparer.Ordinal), left);
        Assert.Equal(2, _logs.WithEvent(724).Count);
    }

    [Fact]
    public async Task OnLevelChanged_WriterFails_LogsDeletesFileAndAllowsTheNext()
    {
        var writer = new FakeDumpWriter { Failure = new InvalidOperationException("no diagnostics channel") };
        var responder = Responder(writer, Policy(TimeSpan.FromSeconds(60)));

        await RespondAsync(responder);

        var failed = Assert.Single(_logs.WithEvent(723));
        Assert.Equal(LogLevel.Error, failed.Level);
        Assert.IsType<InvalidOperationException>(failed.Exception);
        Assert.Empty(Directory.GetFiles(_directory));
        Assert.False(responder.IsWriting);
        Assert.Null(responder.LastPath);

        writer.Failure = null;
        _time.Advance(TimeSpan.FromSeconds(60));
        await RespondAsync(responder);
        Assert.Single(Directory.GetFiles(_directory));
    }

    [Fact]
    public async Task OnLevelChanged_MaxFilesBelowOne_ThrowsNamingTheSetting()
    {
        var responder = Responder(new FakeDumpWriter(), Policy(maxFiles: 0));

        var e = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => responder.OnLevelChangedAsync(Change(), CancellationToken.None).AsTask());

        Assert.Contains("responses.dump.max_files", e.Message, StringComparison.Ordinal);
        Assert.False(responder.IsWriting);
    }

    [Fact]
    public async Task OnLevelChanged_DirectoryMissing_CreatesItPrivate()
    {
        var nested = Path.Combine(_directory, "a", "dumps");
        var writer = new FakeDumpWriter();
        var responder = new DumpResponder(writer, _ => new DumpPolicy { Directory = nested }, _time, _loggerFactory.CreateLogger<DumpResponder>());

        await RespondAsync(responder);

        Assert.Single(Directory.GetFiles(nested));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(nested));
        }
    }

    [Fact]
    public async Task OnLevelChanged_DirectoryUnset_WritesInTheDefaultPrivateDirectory()
    {
        var defaultDirectory = Path.Combine(_directory, "private");
        var responder = new DumpResponder(new FakeDumpWriter(), _ => new DumpPolicy(), _time, _loggerFactory.CreateLogger<DumpResponder>())
        {
            DefaultDirectory = defaultDirectory,
        };

        await RespondAsync(responder);

        Assert.StartsWith(defaultDirectory, Assert.Single(Directory.GetFiles(defaultDirectory)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnLevelChanged_DefaultDirectoryIsSymbolicLink_RefusedAndLogged()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var target = Directory.CreateDirectory(Path.Combine(_directory, "elsewhere")).FullName;
        var link = Path.Combine(_directory, "link");
        Directory.CreateSymbolicLink(link, target);
        var writer = new FakeDumpWriter();
        var responder = new DumpResponder(writer, _ => new DumpPolicy(), _time, _loggerFactory.CreateLogger<DumpResponder>())
        {
            DefaultDirectory = link,
        };

        await RespondAsync(responder);

        Assert.Contains("symbolic link", Assert.Single(_logs.WithEvent(725)).Message, StringComparison.Ordinal);
        Assert.Equal(0, writer.Calls);
        Assert.Empty(Directory.GetFiles(target));
        Assert.False(responder.IsWriting);
    }

    private sealed class FakeDumpWriter : IDumpWriter
    {
        public static readonly byte[] Content = [1, 2, 3, 4, 5];

        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public TaskCompletionSource? Gate { get; init; }

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Exception? Failure { get; set; }

        public async Task WriteAsync(string path, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            Started.TrySetResult();
            Assert.True(File.Exists(path), "the responder creates the file before the dump");
            Assert.Equal(0, new FileInfo(path).Length);
            if (Gate is not null)
            {
                await Gate.Task;
            }

            await File.WriteAllBytesAsync(path, Content, cancellationToken);
            if (Failure is not null)
            {
                throw Failure;
            }
        }
    }
}
