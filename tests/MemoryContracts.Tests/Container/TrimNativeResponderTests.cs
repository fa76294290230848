using MemoryContracts.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace MemoryContracts.Tests.Container;

public class TrimNativeResponderTests
{
    [Fact]
    public async Task OnLevelChanged_NamedForTheNewLevel_TrimsAndLogs()
    {
        var (responder, trimmer, logs) = Create(NativeTrimOutcome.Released);

        await responder.OnLevelChangedAsync(Change(PressureLevel.High), CancellationToken.None);

        Assert.Equal(1, trimmer.Calls);
        var entry = Assert.Single(logs.WithEvent(511));
        Assert.Contains("trim_native at High: malloc_trim returned memory to the OS", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnLevelChanged_NotNamedForTheNewLevel_DoesNothing()
    {
        var (responder, trimmer, logs) = Create(NativeTrimOutcome.Released);

        await responder.OnLevelChangedAsync(Change(PressureLevel.Elevated), CancellationToken.None);

        Assert.Equal(0, trimmer.Calls);
        Assert.Empty(logs.Collector.GetSnapshot());
    }

    [Fact]
    public async Task OnLevelChanged_Unsupported_SaysSoOnceAtInformation()
    {
        var (responder, trimmer, logs) = Create(NativeTrimOutcome.Unsupported);

        await responder.OnLevelChangedAsync(Change(PressureLevel.High), CancellationToken.None);
        await responder.OnLevelChangedAsync(Change(PressureLevel.Critical), CancellationToken.None);

        Assert.Equal(2, trimmer.Calls);
        var entry = Assert.Single(logs.WithEvent(510));
        Assert.Equal(LogLevel.Information, entry.Level);
        Assert.Contains("no malloc_trim here", entry.Message, StringComparison.Ordinal);
        Assert.Empty(logs.WithEvent(511));
    }

    [Fact]
    public void Name_IsTrimNative()
    {
        Assert.Equal("trim_native", Create(NativeTrimOutcome.Released).Responder.Name);
    }

    [Fact]
    public void Trim_OnGlibcLinux_IsSupported()
    {
        // This machine runs Debian (glibc); where the C library has no malloc_trim the call must say so, not throw.
        var trimmer = new NativeMemoryTrimmer();

        var outcome = trimmer.Trim();

        if (OperatingSystem.IsLinux() && File.Exists("/lib/x86_64-linux-gnu/libc.so.6"))
        {
            Assert.NotEqual(NativeTrimOutcome.Unsupported, outcome);
            Assert.Null(trimmer.UnsupportedReason);
        }
        else if (outcome == NativeTrimOutcome.Unsupported)
        {
            Assert.NotNull(trimmer.UnsupportedReason);
        }
    }

    [Fact]
    public void Trim_AfterFreeingNativeMemory_Releases()
    {
        if (!File.Exists("/lib/x86_64-linux-gnu/libc.so.6"))
        {
            return;
        }

        // Many small blocks below the mmap threshold stay in the heap after free; malloc_trim gives them back.
        var blocks = new nint[20_000];
        for (var i = 0; i < blocks.Length; i++)
        {
            blocks[i] = System.Runtime.InteropServices.Marshal.AllocHGlobal(4000);
        }

        foreach (var block in blocks)
        {
            System.Runtime.InteropServices.Marshal.FreeHGlobal(block);
        }

        Assert.Equal(NativeTrimOutcome.Released, new NativeMemoryTrimmer().Trim());
    }

    private static (TrimNativeResponder Responder, FakeTrimmer Trimmer, FakeLoggerProvider Logs) Create(NativeTrimOutcome outcome)
    {
        var logs = new FakeLoggerProvider();
        var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        var trimmer = new FakeTrimmer(outcome);
        return (new TrimNativeResponder(trimmer, factory.CreateLogger<TrimNativeResponder>()), trimmer, logs);
    }

    private static MemoryPressureChange Change(PressureLevel level)
    {
        var contract = TestContracts.SingleModule(responses: new ResponsePolicy { Elevated = ["alert"], High = ["trim_native"], Critical = ["alert", "trim_native"] });
        return new MemoryPressureChange(PressureLevel.Normal, new MemoryPressureSnapshot(level, 90, 1000, DateTimeOffset.UnixEpoch, []), contract);
    }

    private sealed class FakeTrimmer(NativeTrimOutcome outcome) : INativeMemoryTrimmer
    {
        public int Calls { get; private set; }

        public string? UnsupportedReason => outcome == NativeTrimOutcome.Unsupported ? "no malloc_trim here" : null;

        public NativeTrimOutcome Trim()
        {
            Calls++;
            return outcome;
        }
    }
}
