using System.Diagnostics;
using ShopApi.Demo;

namespace MemoryContracts.Tests.Examples;

/// <summary>
/// The demo's <see cref="GuardObserver"/>: level changes from <see cref="IMemoryPressure.OnChange"/>
/// with the contract's named responses, and effects polled from public APIs (a trimmable's bytes, 429 counts).
/// </summary>
public class GuardObserverTests
{
    private static readonly MemoryContract Contract = new()
    {
        Modules = [new ModuleContract { Name = "catalog", MaxHeapBytes = 100L * 1024 * 1024 }],
    };

    [Fact]
    public void OnChange_LevelRises_RecordsTheChangeWithTheResponsesNamedForIt()
    {
        var pressure = new ListenedPressure();
        using var observer = new GuardObserver(pressure, Contract, cache: null, Path.GetTempPath(), () => 0, Stopwatch.GetTimestamp());

        pressure.Publish(Snapshot(PressureLevel.Normal, 50));
        pressure.Publish(Snapshot(PressureLevel.Critical, 96));
        pressure.Publish(Snapshot(PressureLevel.Critical, 97));
        pressure.Publish(Snapshot(PressureLevel.Normal, 10));

        var changes = observer.DrainChanges();
        Assert.Equal(2, changes.Count);
        Assert.Equal((PressureLevel.Normal, PressureLevel.Critical, 96), (changes[0].From, changes[0].To, changes[0].UsagePercent));
        Assert.Equal(Contract.Responses.Critical, changes[0].Responders);
        Assert.Equal((PressureLevel.Critical, PressureLevel.Normal), (changes[1].From, changes[1].To));
        Assert.Empty(changes[1].Responders!);
        Assert.Equal(PressureLevel.Critical, observer.MaxLevel);
        Assert.Empty(observer.DrainChanges());
    }

    [Fact]
    public void OnChange_ModuleLevelChanges_RecordsTheModuleChange()
    {
        var pressure = new ListenedPressure();
        using var observer = new GuardObserver(pressure, Contract, cache: null, Path.GetTempPath(), () => 0, Stopwatch.GetTimestamp());

        pressure.Publish(Snapshot(PressureLevel.Elevated, 60, new ModulePressure("catalog", PressureLevel.Elevated, 0.82, 0, 0)));
        pressure.Publish(Snapshot(PressureLevel.Elevated, 61, new ModulePressure("catalog", PressureLevel.Elevated, 0.83, 0, 0)));

        var change = Assert.Single(observer.DrainModuleChanges());
        Assert.Equal(("catalog", PressureLevel.Normal, PressureLevel.Elevated, 82), (change.Module, change.From, change.To, change.HeapPercent));
    }

    [Fact]
    public void Dispose_Observer_StopsListening()
    {
        var pressure = new ListenedPressure();
        var observer = new GuardObserver(pressure, Contract, cache: null, Path.GetTempPath(), () => 0, Stopwatch.GetTimestamp());

        observer.Dispose();
        pressure.Publish(Snapshot(PressureLevel.High, 91));

        Assert.Empty(observer.DrainChanges());
    }

    [Fact]
    public async Task WatchAsync_CacheShrinksAndRequestsAreShed_ReportsTrimAndShedding()
    {
        var pressure = new ListenedPressure();
        var cache = new ShrinkingTrimmable { Bytes = 8 * 1024 * 1024 };
        long shed = 0;
        using var observer = new GuardObserver(pressure, Contract, cache, Path.GetTempPath(), () => Interlocked.Read(ref shed), Stopwatch.GetTimestamp());
        using var stop = new CancellationTokenSource();
        var watching = observer.WatchAsync(stop.Token);

        await Task.Delay(50);
        Interlocked.Exchange(ref cache.Bytes, 2 * 1024 * 1024);
        Interlocked.Add(ref shed, 5);
        var actions = new List<GuardAction>();
        var until = Stopwatch.GetTimestamp() + (10 * Stopwatch.Frequency);
        while (!(actions.Any(a => a.Name == "trim_caches") && actions.Any(a => a.Name == "shed_requests")) && Stopwatch.GetTimestamp() < until)
        {
            await Task.Delay(20);
            actions.AddRange(observer.DrainActions());
        }

        await stop.CancelAsync();
        await watching;

        Assert.Equal(6 * 1024 * 1024, actions.Single(a => a.Name == "trim_caches").Bytes);
        Assert.Single(actions, a => a.Name == "shed_requests");
    }

    private static MemoryPressureSnapshot Snapshot(PressureLevel level, int usage, params ModulePressure[] modules) =>
        new(level, usage, 100L * 1024 * 1024, DateTimeOffset.UtcNow, modules);

    /// <summary>An <see cref="IMemoryPressure"/> the test publishes to by hand.</summary>
    private sealed class ListenedPressure : IMemoryPressure
    {
        private readonly List<Action<MemoryPressureSnapshot>> _listeners = [];

        public MemoryPressureSnapshot Current { get; private set; } = new(PressureLevel.Normal, 0, 0, DateTimeOffset.MinValue, []);

        public IDisposable OnChange(Action<MemoryPressureSnapshot> listener)
        {
            _listeners.Add(listener);
            return new Subscription(() => _listeners.Remove(listener));
        }

        public void Publish(MemoryPressureSnapshot snapshot)
        {
            Current = snapshot;
            foreach (var listener in _listeners.ToArray())
            {
                listener(snapshot);
            }
        }

        private sealed class Subscription(Action remove) : IDisposable
        {
            public void Dispose() => remove();
        }
    }

    private sealed class ShrinkingTrimmable : IMemoryTrimmable
    {
        public long Bytes;

        public string Name => "test";

        public long EstimatedBytes => Interlocked.Read(ref Bytes);

        public long Trim(double fraction) => 0;
    }
}
