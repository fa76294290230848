using System.Globalization;
using System.Text;
using MemoryContracts;

namespace ShopApi.Demo;

/// <summary>
/// Prints the demo: a live timeline (one row per <see cref="DemoFrame"/>) and a summary. The run itself
/// is <see cref="DemoScenario"/>'s; this class only writes text.
/// </summary>
internal static class DemoConsole
{
    private static readonly CompositeFormat RowFormat = CompositeFormat.Parse("{0,6} {1,-16} {2,7} {3,5} {4,-8} {5,7} {6,6} {7,12} {8,12} {9,12} {10,13}  {11}");

    /// <summary>Runs the demo and prints it; returns the process exit code (0 when every level was reached and left).</summary>
    public static async Task<int> RunAsync(bool fast, TextWriter output)
    {
        var settings = fast ? DemoSettings.Fast : DemoSettings.Standard;
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };

        output.WriteLine("MemoryContracts demo: ShopApi (catalog, checkout [core], reports) calling InventoryService, both on 127.0.0.1.");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Budget: the heap at start + {settings.HeadroomMb} MB; levels at 80/90/95% of it; sampling every {settings.SamplingInterval.TotalMilliseconds:F0} ms; {settings.RecoverySamples} calm samples to step down."));
        output.WriteLine("A real leak (POST /reports/leak) grows toward each level, is shed at Critical, then released (DELETE /reports/leak).");
        output.WriteLine("Requests per row: served/shed. Inventory: cache writes stored/bypassed (bypassed = ShopApi reported > 80% in X-Memory-Usage).");
        output.WriteLine("[from → to at usage: responses] is IMemoryPressure.OnChange with what the contract names for the level entered; {module ...} a module's own level.");
        output.WriteLine("Then what was seen happen: catalog cache bytes trimmed (trim_caches), GC latency mode left/restored (tighten_gc/gc_restored; the demo");
        output.WriteLine("runs in SustainedLowLatency), a full blocking GC (compact_gc), 429s in the demo's traffic (shed_requests/shedding_off), snapshot files.");

        DemoResult result;
        try
        {
            result = await DemoScenario.RunAsync(settings, frame => output.WriteLine(Format(frame)), start => WriteStart(start, output), stop.Token);
        }
        catch (Exception exception) when (exception is IOException or InvalidOperationException or MemoryContractException or HttpRequestException)
        {
            output.WriteLine();
            output.WriteLine("The demo could not run: " + exception.Message);
            return 2;
        }

        WriteSummary(result, output);
        return result.Passed ? 0 : 1;
    }

    /// <summary>Writes where the services listen (open them while the demo runs), then the table's header.</summary>
    public static void WriteStart(DemoStart start, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"ShopApi on {start.Shop} (try {start.Shop}health/ready), InventoryService on {start.Inventory}; snapshots go to {start.SnapshotDirectory}");
        output.WriteLine($"Dashboard: {start.Shop}memory-contracts");
        output.WriteLine();
        output.WriteLine(Row("time", "phase", "heap MB", "usage", "level", "leak MB", "cache", "catalog", "checkout", "reports", "inventory", "level changes / guard actions seen"));
    }

    /// <summary>Formats one timeline row.</summary>
    public static string Format(DemoFrame frame)
    {
        var requests = frame.Requests;
        return Row(
            Seconds(frame.At),
            Truncate(frame.Phase, 16),
            frame.HeapMb.ToString("F1", CultureInfo.InvariantCulture),
            frame.UsagePercent.ToString(CultureInfo.InvariantCulture) + "%",
            frame.Level.ToString(),
            frame.LeakedMb.ToString(CultureInfo.InvariantCulture),
            frame.CatalogCacheMb.ToString("F1", CultureInfo.InvariantCulture),
            Pair(requests[0].Served, requests[0].Shed),
            Pair(requests[1].Served, requests[1].Shed),
            Pair(requests[2].Served, requests[2].Shed),
            Pair(frame.Inventory.Stored, frame.Inventory.Bypassed),
            Describe(frame));
    }

    /// <summary>Writes the summary table and the verdict.</summary>
    public static void WriteSummary(DemoResult result, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Summary ({result.Elapsed.TotalSeconds:F1} s)"));
        output.WriteLine();
        output.WriteLine("  level      first reached   time spent");
        var first = result.FirstReached;
        var timeIn = result.TimeIn;
        foreach (var level in Enum.GetValues<PressureLevel>())
        {
            var reached = first.TryGetValue(level, out var at) ? Seconds(at) : "never";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {level,-10} {reached,13}   {Seconds(timeIn[level]),10}"));
        }

        output.WriteLine();
        output.WriteLine("  module     kind        served     shed   failed");
        foreach (var module in result.Requests)
        {
            var kind = module.Module == "checkout" ? "core" : "non-core";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {module.Module,-10} {kind,-9} {module.Served,8} {module.Shed,8} {module.Failed,8}"));
        }

        output.WriteLine();
        output.WriteLine("  guard actions seen: " + SummarizeActions(result.Actions));
        if (result.SnapshotDirectory is not null)
        {
            output.WriteLine("  snapshots: " + result.SnapshotDirectory);
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  inventory cache: {result.Inventory.Stored} writes stored, {result.Inventory.Bypassed} bypassed because ShopApi reported pressure, {result.Inventory.Refused} refused, {result.Inventory.Hits} hits"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  heap: {result.BaselineMb:F0} MB at start, peak {result.PeakHeapMb:F0} MB, budget {result.BudgetMb:F0} MB; the leak peaked at {result.PeakLeakedMb} MB and was released"));
        output.WriteLine();
        if (result.Passed)
        {
            var path = string.Join(" → ", new[] { PressureLevel.Normal }.Concat(result.Changes.Select(c => c.To)).Distinct());
            output.WriteLine($"PASS: the service went {path} and back to Normal; checkout (core) was never shed.");
        }
        else
        {
            output.WriteLine("FAIL:");
            foreach (var failure in result.Failures)
            {
                output.WriteLine("  - " + failure);
            }
        }
    }

    private static string Describe(DemoFrame frame)
    {
        var text = new StringBuilder();
        foreach (var change in frame.Changes)
        {
            var responders = change.Responders is { Count: > 0 } named ? ": " + string.Join(", ", named) : string.Empty;
            text.Append(CultureInfo.InvariantCulture, $"[{change.From} → {change.To} at {change.UsagePercent}%{responders}] ");
        }

        foreach (var change in frame.ModuleChanges)
        {
            text.Append(CultureInfo.InvariantCulture, $"{{{change.Module} {change.From} → {change.To} at {change.HeapPercent}%}} ");
        }

        text.Append(SummarizeActions(frame.Actions, empty: string.Empty, withDetails: true));
        return text.ToString().TrimEnd();
    }

    private static string SummarizeActions(IReadOnlyList<GuardAction> actions, string empty = "none", bool withDetails = false)
    {
        if (actions.Count == 0)
        {
            return empty;
        }

        return string.Join(", ", actions
            .GroupBy(a => a.Name, StringComparer.Ordinal)
            .Select(g =>
            {
                var bytes = g.Sum(a => a.Bytes);
                var count = g.Count() > 1 ? string.Create(CultureInfo.InvariantCulture, $" x{g.Count()}") : string.Empty;
                var details = g.Select(a => a.Detail).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
                var size = bytes > 0 ? string.Create(CultureInfo.InvariantCulture, $" ({bytes / (1024.0 * 1024.0):F1} MB)")
                    : details.Count == 1 && withDetails ? " (" + details[0] + ")"
                    : string.Empty;
                return g.Key + count + size;
            }));
    }

    private static string Row(params object[] cells) => string.Format(CultureInfo.InvariantCulture, RowFormat, cells);

    private static string Pair(long a, long b) => string.Create(CultureInfo.InvariantCulture, $"{a}/{b}");

    private static string Seconds(TimeSpan time) => string.Create(CultureInfo.InvariantCulture, $"{time.TotalSeconds:F1}s");

    private static string Truncate(string text, int width) => text.Length <= width ? text : text[..width];
}
