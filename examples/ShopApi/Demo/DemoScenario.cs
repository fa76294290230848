using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using InventoryService;
using MemoryContracts;
using Microsoft.Extensions.Caching.Memory;
using ShopApi.Catalog;
using ShopApi.Reports;

namespace ShopApi.Demo;

/// <summary>
/// The demo's scenario engine, apart from any console: starts the inventory service and the shop API
/// on loopback (127.0.0.1, port 0) in this process, drives steady traffic, then leaks for real — toward
/// Elevated, then slowly toward High, then fast toward Critical — holds Critical while the leak keeps
/// pushing (and is shed), releases the leak and waits for the guard to step back down to Normal.
/// It reports a <see cref="DemoFrame"/> every <see cref="DemoSettings.FrameInterval"/> and returns a
/// <see cref="DemoResult"/>. What the guard did is seen through public APIs only (<see cref="GuardObserver"/>).
/// </summary>
internal sealed class DemoScenario
{
    private const double MB = 1024 * 1024;
    private static readonly TimeSpan LeakStep = TimeSpan.FromMilliseconds(100);

    private readonly DemoSettings _settings;
    private readonly Action<DemoFrame>? _onFrame;
    private readonly Action<DemoStart>? _onStarted;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly List<LevelChange> _changes = [];
    private readonly List<ModuleLevelChange> _moduleChanges = [];
    private readonly List<GuardAction> _actions = [];
    private readonly List<string> _failures = [];

    private volatile string _phase = "starting";
    private long _peakLeakedMb;

    private DemoScenario(DemoSettings settings, Action<DemoFrame>? onFrame, Action<DemoStart>? onStarted)
    {
        _settings = settings;
        _onFrame = onFrame;
        _onStarted = onStarted;
    }

    /// <summary>Runs the demo.</summary>
    /// <param name="settings">Sizes and pace.</param>
    /// <param name="onFrame">Called with each timeline row (on a background thread), or <see langword="null"/>.</param>
    /// <param name="onStarted">Called once both services listen, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the run early (it then fails).</param>
    public static async Task<DemoResult> RunAsync(DemoSettings settings, Action<DemoFrame>? onFrame, Action<DemoStart>? onStarted, CancellationToken cancellationToken)
    {
        // The process runs as a latency-sensitive service might, in SustainedLowLatency: tighten_gc
        // leaves it for Interactive under pressure and restores it at Normal, which the timeline shows.
        var latency = GCSettings.LatencyMode;
        GCSettings.LatencyMode = GCLatencyMode.SustainedLowLatency;
        try
        {
            return await new DemoScenario(settings, onFrame, onStarted).RunAsync(cancellationToken);
        }
        finally
        {
            GCSettings.LatencyMode = latency;
        }
    }

    private TimeSpan Now => Stopwatch.GetElapsedTime(_started);

    private async Task<DemoResult> RunAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_settings.Deadline);
        var token = deadline.Token;

        await using var inventory = InventoryApp.Create([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Services.AddMemoryContracts(options =>
            {
                options.Contract = DemoContract.ForInventory(_settings);
                options.Modules.Clear();
                options.Modules.Add(InventoryApp.Module);
            });
        });
        await inventory.StartAsync(token);
        var inventoryStats = inventory.Services.GetRequiredService<StockCacheStats>();

        // The budget is what the process holds now plus the headroom: the levels are then reached by
        // the leak alone, on any machine.
        var snapshotDirectory = Directory.CreateTempSubdirectory("memory-contracts-demo-").FullName;
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var contract = DemoContract.ForShop(_settings, baseline, snapshotDirectory);
        await using var shop = Program.CreateApp(["--Inventory:BaseAddress=" + inventory.Urls.First()], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Services.AddMemoryContracts(options =>
            {
                options.Contract = contract;
                options.Modules.Clear();
            });
        });
        await shop.StartAsync(token);
        _onStarted?.Invoke(new DemoStart(new Uri(shop.Urls.First()), new Uri(inventory.Urls.First()), snapshotDirectory));

        var pressure = shop.Services.GetRequiredService<IMemoryPressure>();
        var catalogCache = shop.Services.GetRequiredKeyedService<IMemoryCache>(CatalogEndpoints.Module) as IMemoryTrimmable;
        var budget = contract.Modules.Sum(m => m.MaxHeapBytes ?? 0);

        await using var traffic = new DemoTraffic(new Uri(shop.Urls.First()), _settings);
        using var observer = new GuardObserver(pressure, contract, catalogCache, snapshotDirectory, () => traffic.Catalog.Shed + traffic.Reports.Shed, _started);
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(token);
        var watcher = observer.WatchAsync(watching.Token);
        var frames = ProduceFramesAsync(observer, pressure, traffic, catalogCache, inventoryStats, watching.Token);
        traffic.Start();

        try
        {
            await RunPhasesAsync(traffic, observer, pressure, budget, token);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            _failures.Add(cancellationToken.IsCancellationRequested
                ? "The demo was stopped."
                : string.Create(CultureInfo.InvariantCulture, $"The demo ran past its deadline of {_settings.Deadline.TotalSeconds:F0} s."));
        }
        finally
        {
            ReportsLeak.Release();
            await watching.CancelAsync();
            await Task.WhenAll(watcher, frames);
        }

        // Whatever was seen after the last frame still belongs to the run.
        _changes.AddRange(observer.DrainChanges());
        _moduleChanges.AddRange(observer.DrainModuleChanges());
        _actions.AddRange(observer.DrainActions());
        var totals = new[] { traffic.Catalog.Read(), traffic.Checkout.Read(), traffic.Reports.Read() };
        CheckOutcome(totals, pressure.Current.Level);
        return new DemoResult
        {
            Failures = _failures,
            Elapsed = Now,
            BudgetMb = budget / MB,
            BaselineMb = baseline / MB,
            PeakHeapMb = observer.PeakHeapBytes / MB,
            PeakLeakedMb = Interlocked.Read(ref _peakLeakedMb),
            Changes = _changes,
            ModuleChanges = _moduleChanges,
            Actions = _actions,
            Requests = totals,
            Inventory = inventoryStats.Read(),
            SnapshotDirectory = snapshotDirectory,
        };
    }

    private async Task RunPhasesAsync(DemoTraffic traffic, GuardObserver observer, IMemoryPressure pressure, long budget, CancellationToken token)
    {
        var rates = _settings.LeakRatesMbPerSecond;

        _phase = "calm";
        await Task.Delay(_settings.CalmDuration, token);
        if (pressure.Current.Level != PressureLevel.Normal)
        {
            _failures.Add($"The service was at {pressure.Current.Level} before the leak started (usage {pressure.Current.UsagePercent}%).");
        }

        // Between the thresholds (0.80 / 0.90 / 0.95 of the budget): aim at the middle of each band.
        await LeakTowardAsync(traffic, observer, PressureLevel.Elevated, target: 0.85, rates[0], budget, growing: true, token);
        await HoldAsync(traffic, target: 0.85, rates[0], budget, _settings.HoldDuration, token);
        await LeakTowardAsync(traffic, observer, PressureLevel.High, target: 0.925, rates[1], budget, growing: false, token);
        await HoldAsync(traffic, target: 0.925, rates[1], budget, _settings.HoldDuration, token);
        await LeakTowardAsync(traffic, observer, PressureLevel.Critical, target: 1.10, rates[2], budget, growing: false, token);

        // Critical: the leak keeps pushing, non-core requests are shed (the leak's own included).
        _phase = "leak, shed";
        await HoldAsync(traffic, target: 1.10, rates[2], budget, _settings.CriticalHoldDuration, token);

        _phase = "released";
        observer.BeginOwnCollection();
        var released = await traffic.ReleaseAsync(token);
        observer.EndOwnCollection();
        if (!released)
        {
            _failures.Add("DELETE /reports/leak failed: the leak could not be released.");
        }

        var recovered = await WaitForAsync(() => pressure.Current.Level == PressureLevel.Normal, _settings.RecoveryTimeout, token);
        if (!recovered)
        {
            _failures.Add($"The service did not get back to Normal within {_settings.RecoveryTimeout.TotalSeconds:F0} s of the release (it is {pressure.Current.Level}).");
        }

        _phase = "calm";
        await Task.Delay(_settings.CalmDuration, token);
    }

    /// <summary>Leaks at <paramref name="rateMbPerSecond"/> while the heap is under <paramref name="target"/> of the budget, until the guard reports <paramref name="level"/>.</summary>
    private async Task LeakTowardAsync(DemoTraffic traffic, GuardObserver observer, PressureLevel level, double target, int rateMbPerSecond, long budget, bool growing, CancellationToken token)
    {
        _phase = "leak → " + level;
        var started = Now;
        while (observer.MaxLevel < level)
        {
            if (Now - started > _settings.LevelTimeout)
            {
                _failures.Add($"{level} was not reached within {_settings.LevelTimeout.TotalSeconds:F0} s of leaking (heap at {HeapRatio(budget):P0} of the budget).");
                return;
            }

            // The leak grows: from a third of its pace to all of it over the first three seconds.
            var pace = growing ? rateMbPerSecond * Math.Min(1, (1 + (Now - started).TotalSeconds) / 3) : rateMbPerSecond;
            await LeakStepAsync(traffic, target, pace, budget, token);
        }
    }

    private async Task HoldAsync(DemoTraffic traffic, double target, int rateMbPerSecond, long budget, TimeSpan duration, CancellationToken token)
    {
        var until = Now + duration;
        while (Now < until)
        {
            await LeakStepAsync(traffic, target, rateMbPerSecond, budget, token);
        }
    }

    private async Task LeakStepAsync(DemoTraffic traffic, double target, double rateMbPerSecond, long budget, CancellationToken token)
    {
        var step = Task.Delay(LeakStep, token);
        if (HeapRatio(budget) < target)
        {
            await traffic.LeakAsync(Math.Max(1, (int)Math.Round(rateMbPerSecond * LeakStep.TotalSeconds)), token);
            UpdatePeak(ref _peakLeakedMb, ReportsLeak.Bytes / ReportsLeak.ChunkBytes);
        }

        await step;
    }

    private static double HeapRatio(long budget) => GC.GetTotalMemory(forceFullCollection: false) / (double)budget;

    private static async Task<bool> WaitForAsync(Func<bool> condition, TimeSpan timeout, CancellationToken token)
    {
        var until = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!condition())
        {
            if (Stopwatch.GetTimestamp() > until)
            {
                return false;
            }

            await Task.Delay(20, token);
        }

        return true;
    }

    private async Task ProduceFramesAsync(GuardObserver observer, IMemoryPressure pressure, DemoTraffic traffic, IMemoryTrimmable? catalogCache, StockCacheStats inventoryStats, CancellationToken token)
    {
        var previous = new[] { traffic.Catalog.Read(), traffic.Checkout.Read(), traffic.Reports.Read() };
        var previousInventory = inventoryStats.Read();
        using var timer = new PeriodicTimer(_settings.FrameInterval);
        while (await TickAsync(timer, token))
        {
            var current = new[] { traffic.Catalog.Read(), traffic.Checkout.Read(), traffic.Reports.Read() };
            var inventoryNow = inventoryStats.Read();
            var changes = observer.DrainChanges();
            var moduleChanges = observer.DrainModuleChanges();
            var actions = observer.DrainActions();
            _changes.AddRange(changes);
            _moduleChanges.AddRange(moduleChanges);
            _actions.AddRange(actions);
            var snapshot = pressure.Current;
            var frame = new DemoFrame
            {
                At = Now,
                Phase = _phase,
                HeapMb = GC.GetTotalMemory(forceFullCollection: false) / MB,
                UsagePercent = snapshot.UsagePercent,
                Level = snapshot.Level,
                Changes = changes,
                ModuleChanges = moduleChanges,
                Actions = actions,
                Requests = [.. current.Select((c, i) => c.Minus(previous[i]))],
                LeakedMb = ReportsLeak.Bytes / ReportsLeak.ChunkBytes,
                CatalogCacheMb = (catalogCache?.EstimatedBytes ?? 0) / MB,
                Inventory = new StockCacheCounts(
                    inventoryNow.Hits - previousInventory.Hits,
                    inventoryNow.Stored - previousInventory.Stored,
                    inventoryNow.Bypassed - previousInventory.Bypassed,
                    inventoryNow.Refused - previousInventory.Refused),
            };
            previous = current;
            previousInventory = inventoryNow;
            _onFrame?.Invoke(frame);
        }
    }

    private static async Task<bool> TickAsync(PeriodicTimer timer, CancellationToken token)
    {
        try
        {
            return await timer.WaitForNextTickAsync(token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void CheckOutcome(ModuleCounts[] totals, PressureLevel finalLevel)
    {
        foreach (var level in (PressureLevel[])[PressureLevel.Elevated, PressureLevel.High, PressureLevel.Critical])
        {
            if (!_changes.Any(c => c.To == level))
            {
                _failures.Add($"The service never reached {level}.");
            }
        }

        if (finalLevel != PressureLevel.Normal)
        {
            _failures.Add($"The service ended at {finalLevel}, not Normal.");
        }

        var checkout = totals[1];
        if (checkout.Shed > 0)
        {
            _failures.Add($"{checkout.Shed} checkout requests were shed: checkout is core and must never be.");
        }

        if (checkout.Served == 0)
        {
            _failures.Add("No checkout request was served.");
        }
    }

    private static void UpdatePeak(ref long peak, long value)
    {
        var seen = Interlocked.Read(ref peak);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref peak, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }
}
