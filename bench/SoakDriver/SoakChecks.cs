using static SoakDriver.SoakOutcome;

namespace SoakDriver;

/// <summary>
/// The soak's verdict. Tolerances (stated here and printed): threads and open descriptors "flat" =
/// at the end (chaos over, load still on) no more than the larger of 10 and a quarter above the
/// figures at the end of the warm-up; memory "back near baseline" after each leak cycle = the GC heap
/// after a full compacting collection within 16 MB of the warm-up's, no native leak block held, and the
/// resident set within <see cref="RssToleranceMb"/> of the warm-up's. That RSS tolerance is more than
/// one cycle's leak (80 MB): glibc keeps some freed native blocks (up to +74 MB seen after a native
/// cycle), so it catches memory piling up over cycles, not one cycle's pages kept by the allocator.
/// </summary>
internal static class SoakChecks
{
    public const double HeapToleranceMb = 16;
    public const double RssToleranceMb = 128;

    public static SoakReport Evaluate(SoakOutcome run)
    {
        var checks = new List<SoakCheck>();
        var final = run.Final;
        var stderrUnhandled = run.Stderr.Where(l => l.Contains("Unhandled exception", StringComparison.OrdinalIgnoreCase) || l.StartsWith("SOAK unobserved", StringComparison.Ordinal)).ToList();

        checks.Add(new("service alive", run.AliveAtEnd, run.AliveAtEnd ? $"running after {Number(run.Elapsed.TotalSeconds)} s" : "it exited during the run"));
        checks.Add(new("graceful stop", run.ExitCode == 0, run.ExitCode is { } code ? $"SIGTERM, exit code {code}" : "did not exit within 30 s of SIGTERM (killed)"));
        checks.Add(new("no unhandled exception", stderrUnhandled.Count == 0 && final.UnobservedTaskExceptions == 0 && final.UnexpectedErrors.Count == 0,
            $"stderr lines {run.Stderr.Count} ({stderrUnhandled.Count} unhandled), unobserved task exceptions {final.UnobservedTaskExceptions}, unexpected error-level log events {final.UnexpectedErrors.Count}"
            + string.Concat(stderrUnhandled.Concat(final.UnexpectedErrors).Take(5).Select(e => "\n      " + e))));

        var load = run.Load;
        checks.Add(new("every core request served", load.CoreSent > 0 && load.CoreFailed == 0,
            $"{load.CoreServed}/{load.CoreSent} POST /orders answered 200, {load.CoreFailed} failures, slowest {Number(load.MaxCoreMs)} ms; non-core GET /catalog: {load.NonCoreServed} served, {load.NonCoreShed} shed (429), {load.NonCoreFailed} failed"
            + string.Concat(load.CoreFailures.Take(5).Select(e => "\n      " + e))));

        var expectedTicks = (run.Elapsed.TotalSeconds - 5) * 10 / 2; // 100 ms interval; at least half of them
        checks.Add(new("guard tick lag", final.TickLagMaxMs <= run.Settings.MaxTickLagMs && final.TickLagP99Ms <= run.Settings.MaxTickLagP99Ms && final.TickCount >= expectedTicks,
            $"{final.TickCount} ticks (interval 100 ms), lag max {Number(final.TickLagMaxMs)} ms (bound {Number(run.Settings.MaxTickLagMs)}), p99 {Number(final.TickLagP99Ms)} ms (bound {Number(run.Settings.MaxTickLagP99Ms)})"));

        checks.Add(Flat("threads flat", run.Start.Threads, run.End.Threads, run.Watch.Max.Threads));
        checks.Add(Flat("open file descriptors flat", run.Start.Fds, run.End.Fds, run.Watch.Max.Fds));

        var cycles = run.Leaks.Cycles;
        var baseHeap = run.Baseline.HeapMb;
        var baseRss = run.Start.RssMb;
        var badCycles = cycles.Where(c => c.HeapAfterMb > baseHeap + HeapToleranceMb || c.NativeAfterMb != 0 || c.RssAfterMb > baseRss + RssToleranceMb).ToList();
        checks.Add(new("memory back near baseline after each leak cycle", cycles.Count >= 2 && cycles.Any(c => c.Kind == "managed") && cycles.Any(c => c.Kind == "native") && badCycles.Count == 0,
            $"{cycles.Count} cycles ({cycles.Count(c => c.Kind == "managed")} managed, {cycles.Count(c => c.Kind == "native")} native), {badCycles.Count} not back; baseline heap {Number(baseHeap)} MB (tolerance +{Number(HeapToleranceMb)}), RSS {Number(baseRss)} MB (tolerance +{Number(RssToleranceMb)}); after release: heap {Range(cycles.Select(c => c.HeapAfterMb))} MB, RSS {Range(cycles.Select(c => c.RssAfterMb))} MB, native held {Range(cycles.Select(c => (double)c.NativeAfterMb))} MB"
            + string.Concat(badCycles.Take(5).Select(c => "\n      " + c))));

        var steps = run.Churn.Steps;
        var bad = steps.Where(s => s.Kind is not "good" and not "half_written").ToList();
        var good = steps.Where(s => s.Kind is "good" or "half_written").ToList();
        var failed = steps.Where(s => !s.Held).ToList();
        var badVersionsServed = run.VersionsSeen.Keys.Where(v => !v.StartsWith("soak-", StringComparison.Ordinal)).ToList();
        checks.Add(new("every bad contract refused, the last good one kept", bad.Count > 0 && good.Count > 0 && failed.Count == 0 && badVersionsServed.Count == 0,
            $"{steps.Count} rewrites: {good.Count} good applied ({good.Count(s => s.Kind == "half_written")} half-written first), {bad.Count(s => s.Held)}/{bad.Count} bad refused ({string.Join(", ", bad.GroupBy(s => s.Kind).Select(g => $"{g.Key} {g.Count()}"))}); by method {string.Join(", ", steps.GroupBy(s => s.Method).Select(g => $"{g.Key} {g.Count()}"))}; slowest to show {Number(steps.Count == 0 ? 0 : steps.Max(s => s.Seconds))} s; versions on responses: {run.VersionsSeen.Count} distinct, none bad: {badVersionsServed.Count == 0}"
            + string.Concat(failed.Take(5).Select(s => "\n      " + s))));

        var throws = final.ThrowingResponderActs + final.ThrowingResponderUndos;
        var throwsCounted = final.Counter("memory_contracts.responder.failures", "responder=soak_throws");
        var responderFailures = final.Counter("memory_contracts.responder.failures");
        checks.Add(new("throwing responder counted", throws > 0 && final.ThrowingResponderActs > 0 && final.ThrowingResponderUndos > 0 && throwsCounted == throws && final.Event(103) == responderFailures,
            $"soak_throws threw {throws} times ({final.ThrowingResponderActs} entering a level, {final.ThrowingResponderUndos} undoing), counted {Number(throwsCounted)} (memory_contracts.responder.failures); all responder failures {Number(responderFailures)}, ResponderFailed (103) logged {final.Event(103)}"));

        var snapshotFailures = final.Counter("memory_contracts.responder.failures", "responder=snapshot");
        var applied = run.SnapshotFaults.Applied;
        checks.Add(new("snapshot directory faults counted", applied.Values.Sum() > 0 && snapshotFailures > 0,
            $"faults applied: {string.Join(", ", applied.Select(p => $"{p.Key} {p.Value}"))}{(run.SnapshotFaults.TmpfsUnavailable is { } why ? $" (tmpfs skipped: {why})" : "")}; snapshots written {final.Event(250)}, snapshot failures counted {Number(snapshotFailures)}"));

        if (run.Swings is { } swings)
        {
            checks.Add(new("cgroup limit moved, no OOM kill", swings.Lowered > 0 && run.OomKills == 0 && final.Event(505) > 0,
                $"limit lowered {swings.Lowered} times (to {swings.LowLimitMb} MB) and raised {swings.Raised} times (to {CgroupLimitSwings.HighLimitMb} MB); ContainerLimitChanged (505) logged {final.Event(505)}; oom_kill {run.OomKills}"));
        }

        var figures = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["seconds"] = Number(run.Elapsed.TotalSeconds),
            ["core_sent"] = load.CoreSent.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["core_served"] = load.CoreServed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["noncore_shed"] = load.NonCoreShed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["tick_lag_max_ms"] = Number(final.TickLagMaxMs),
            ["tick_lag_p99_ms"] = Number(final.TickLagP99Ms),
            ["threads_start"] = run.Start.Threads.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["threads_end"] = run.End.Threads.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["fds_start"] = run.Start.Fds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["fds_end"] = run.End.Fds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["leak_cycles"] = cycles.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["contracts_bad_refused"] = bad.Count(s => s.Held).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["contracts_good_applied"] = good.Count(s => s.Held).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["cgroup"] = run.Swings is null ? "skipped" : "used",
        };
        return new SoakReport(checks, figures);
    }

    public static void Print(SoakOutcome run, SoakReport report, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine("== leak cycles (released, then read after a full compacting collection)");
        foreach (var c in run.Leaks.Cycles)
        {
            output.WriteLine($"   {c.Index,3} {c.Kind,-7} leaked {c.LeakedMb,3} MB ({c.Shed} shed), released {c.ReleasedMb,3} MB -> heap {Number(c.HeapAfterMb),5} MB, native {c.NativeAfterMb} MB, RSS {Number(c.RssAfterMb),5} MB, level {c.LevelAfter}");
        }

        output.WriteLine("== contract rewrites");
        foreach (var s in run.Churn.Steps)
        {
            output.WriteLine($"   {s.Step,3} {s.Kind,-17} {s.Method,-8} {s.Version,-8} {(s.Held ? "held" : "NOT HELD")}: {s.Detail} ({Number(s.Seconds)} s)");
        }

        output.WriteLine($"== threads start {run.Start.Threads} end {run.End.Threads} max {run.Watch.Max.Threads}; fds start {run.Start.Fds} end {run.End.Fds} max {run.Watch.Max.Fds}; RSS start {Number(run.Start.RssMb)} end {Number(run.End.RssMb)} max {Number(run.Watch.Max.RssMb)} MB");
        output.WriteLine($"== service counters: {string.Join("; ", run.Final.Json.GetProperty("counters").EnumerateObject().Select(p => $"{p.Name} = {p.Value}"))}");
        output.WriteLine($"== service log events by id: {string.Join(", ", run.Final.Json.GetProperty("events").EnumerateObject().Select(p => $"{p.Name}: {p.Value}"))}");
        output.WriteLine();
        output.WriteLine("== verdict");
        foreach (var check in report.Checks)
        {
            output.WriteLine(check.ToString());
        }

        if (run.CgroupUnavailable is not null && run.Swings is null)
        {
            output.WriteLine($"SKIP cgroup limit moved: {run.CgroupUnavailable}");
        }

        output.WriteLine("RESULT " + string.Join(' ', report.Figures.Select(p => $"{p.Key}={p.Value}")) + $" passed={(report.Passed ? "yes" : "no")}");
    }

    private static SoakCheck Flat(string name, int start, int end, int max)
    {
        var allowed = Math.Max(10, start / 4);
        return new SoakCheck(name, end <= start + allowed, $"start {start}, end {end} (allowed up to {start + allowed}: +max(10, 25%)), max seen {max}");
    }

    private static string Range(IEnumerable<double> values)
    {
        var list = values.ToList();
        return list.Count == 0 ? "-" : $"{Number(list.Min())}..{Number(list.Max())}";
    }
}
