using System.Diagnostics;
using MemoryContracts.Tests.Examples;
using MemoryContracts.Tests.Infrastructure;
using Xunit.Abstractions;

namespace MemoryContracts.Tests.Diagnostics.AllocationSampling;

/// <summary>
/// The runtime's real AllocationSampled events through the in-process listener: alone, so that
/// this test's allocations dominate what the runtime samples.
/// </summary>
[Collection(RunsAlone.Name)]
public sealed class AllocationSamplingTests(ITestOutputHelper output)
{
    private const int ArrayLength = 8192;
    private const int Arrays = 3000;

    // Keeps the last arrays reachable, so they are real heap allocations (never stack-allocated).
    private static readonly LeakMarker[][] Kept = new LeakMarker[64][];

    private static long AllocateMarkers()
    {
        for (var i = 0; i < Arrays; i++)
        {
            Kept[i % Kept.Length] = new LeakMarker[ArrayLength];
        }

        // Array header and length, then the references.
        return Arrays * ((ArrayLength * (long)IntPtr.Size) + (3 * IntPtr.Size));
    }

    private static AllocationTypeEstimate? Marker(AllocationProfile profile) =>
        profile.Top(profile.DistinctTypes + 1).FirstOrDefault(t => t.TypeName.Contains(nameof(LeakMarker), StringComparison.Ordinal));

    private static async Task<AllocationTypeEstimate?> WaitForMarkerAsync(AllocationProfile profile, long expectedBytes)
    {
        var waited = Stopwatch.StartNew();
        AllocationTypeEstimate? marker = null;
        while (waited.Elapsed < TimeSpan.FromSeconds(20))
        {
            marker = Marker(profile);
            if (marker is { } m && m.EstimatedBytes >= expectedBytes * 0.7)
            {
                // Let the rest of the in-flight events arrive.
                await Task.Delay(500);
                return Marker(profile);
            }

            await Task.Delay(100);
        }

        return marker;
    }

    [Fact]
    public async Task Profiler_WhileMarkersAllocated_FindsThemOnTopWithBytesEstimated()
    {
        using var profiler = new AllocationProfiler(TimeProvider.System);
        Assert.True(profiler.Start());

        var allocated = AllocateMarkers();
        var marker = await WaitForMarkerAsync(profiler.Profile, allocated);
        profiler.Stop();
        Array.Clear(Kept);

        Assert.NotNull(marker);
        output.WriteLine($"allocated {allocated} bytes; estimated {marker.Value.EstimatedBytes} from {marker.Value.Samples} samples ({(double)marker.Value.EstimatedBytes / allocated:P1}); share {marker.Value.Share:P1}");
        var top = profiler.Profile.TopAllocator();
        Assert.Contains(nameof(LeakMarker) + "[]", top?.TypeName, StringComparison.Ordinal);
        Assert.True(marker.Value.Share > 0.5, $"share {marker.Value.Share:P0} of {profiler.Profile.EstimatedBytes} bytes");
        Assert.True(marker.Value.Samples > 500, $"{marker.Value.Samples} samples");

        // Randomized sampling: ~1,900 samples give ±5% at 95%; allow ±30%.
        Assert.InRange(marker.Value.EstimatedBytes, allocated * 0.7, allocated * 1.3);
    }

    [Fact]
    public async Task Profiler_Stopped_RecordsNothingMore()
    {
        using var profiler = new AllocationProfiler(TimeProvider.System);
        profiler.Start();
        AllocateMarkers();
        await WaitForMarkerAsync(profiler.Profile, 1);
        profiler.Stop();
        await Task.Delay(500);
        var samples = profiler.Profile.Samples;

        AllocateMarkers();
        await Task.Delay(1000);
        Array.Clear(Kept);

        Assert.True(samples > 0);
        Assert.Equal(samples, profiler.Profile.Samples);
        Assert.False(profiler.IsRunning);
    }

    [Fact]
    public void StartStop_Twice_SecondIsNoOpAndTimesRecorded()
    {
        var time = new FakeTimeProvider();
        using var profiler = new AllocationProfiler(time);

        Assert.True(profiler.Start());
        Assert.False(profiler.Start());
        Assert.True(profiler.IsRunning);
        Assert.Equal(time.GetUtcNow(), profiler.StartedAt);
        time.Advance(TimeSpan.FromSeconds(5));

        Assert.True(profiler.Stop());
        Assert.False(profiler.Stop());
        Assert.Equal(time.GetUtcNow(), profiler.StoppedAt);
    }

    [Fact]
    public void Follow_Levels_OnFromElevatedOffAtNormal()
    {
        using var profiler = new AllocationProfiler(TimeProvider.System);

        profiler.Follow(PressureLevel.Normal);
        Assert.False(profiler.IsRunning);
        profiler.Follow(PressureLevel.Elevated);
        Assert.True(profiler.IsRunning);
        profiler.Follow(PressureLevel.Critical);
        Assert.True(profiler.IsRunning);
        profiler.Follow(PressureLevel.Normal);
        Assert.False(profiler.IsRunning);
    }

    [Fact]
    public void Start_AfterStop_BeginsFreshProfile()
    {
        using var profiler = new AllocationProfiler(TimeProvider.System);
        profiler.Profile.Record("Old", 100);

        profiler.Start();

        Assert.DoesNotContain(profiler.Profile.Top(10), t => t.TypeName == "Old");
    }

    private sealed class LeakMarker
    {
        public byte[]? Payload { get; set; }
    }
}
