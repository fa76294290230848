using MemoryContracts.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts.Tests.Responses;

/// <summary>
/// Found by the soak (bench/soak.sh): a snapshot whose write failed (the directory on a full tmpfs)
/// left an empty <c>memory-snapshot-*.json</c> behind on every attempt. A failed write now deletes
/// its file and still fails, so the guard logs and counts it.
/// </summary>
public sealed class SnapshotWriteFailureTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mc-snapshot-failure-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task OnLevelChangedAsync_WriteFails_NoFileLeftAndFailurePropagates()
    {
        var contract = TestContracts.SingleModule(1000, responses: new ResponsePolicy
        {
            Elevated = ["snapshot"],
            High = [],
            Critical = [],
            Snapshot = new SnapshotPolicy { Directory = _directory, MinInterval = TimeSpan.FromSeconds(1) },
        });
        await using var f = GuardFixture.Create(contract);
        var responder = f.Services.GetServices<IMemoryPressureResponder>().OfType<SnapshotResponder>().Single();
        var elevated = new MemoryPressureSnapshot(PressureLevel.Elevated, 85, 1000 * TestContracts.MB, f.Time.GetUtcNow(), []);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        // The write itself fails (here: the host stopping mid-write; in the soak: no space left on device).
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            async () => await responder.OnLevelChangedAsync(new MemoryPressureChange(PressureLevel.Normal, elevated, contract), cancelled.Token));

        Assert.Empty(Directory.GetFiles(_directory));
        Assert.Null(responder.LastPath);
    }
}
