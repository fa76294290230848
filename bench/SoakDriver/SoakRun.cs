using System.Diagnostics;
using System.Globalization;

namespace SoakDriver;

/// <summary>
/// The soak: bench/LeakyService (<c>--soak</c>) on real Kestrel at 127.0.0.1, its contract in a
/// scratch directory, and for <see cref="SoakSettings.Duration"/>, all at once: mixed load
/// (<see cref="LoadClients"/>), the contract rewritten (<see cref="ContractChurn"/>), the snapshot
/// directory broken (<see cref="SnapshotDirectoryFaults"/>), a responder that always throws (named in
/// every good contract), and after the warm-up leak cycles (<see cref="LeakCycles"/>) and, in its own
/// memory cgroup where one can be made, the limit lowered and raised (<see cref="CgroupLimitSwings"/>).
/// Then the chaos stops, the load runs 5 s more, the end figures are read, the service is stopped with
/// SIGTERM, and every check is printed (see <see cref="SoakChecks"/>). Everything it made (cgroup,
/// tmpfs mount, scratch directory, the service) is removed, on failure and cancellation too.
/// </summary>
internal static class SoakRun
{
    public static async Task<SoakReport> RunAsync(SoakSettings settings, TextWriter output, CancellationToken cancellationToken)
    {
        var scratch = Directory.CreateTempSubdirectory("mc-soak-").FullName;
        if (!Path.GetFullPath(settings.WorkDirectory).Equals(Path.GetFullPath(Path.GetTempPath()), StringComparison.Ordinal))
        {
            Directory.Delete(scratch);
            scratch = Path.Join(settings.WorkDirectory, "mc-soak-" + Guid.NewGuid().ToString("N")[..8]);
            Directory.CreateDirectory(scratch);
        }

        var contractPath = Path.Join(scratch, "contract.yaml");
        var snapshots = Path.Join(scratch, "snapshots");
        Directory.CreateDirectory(snapshots);
        var faults = new SnapshotDirectoryFaults(snapshots);
        SoakCgroup? cgroup = null;
        ServiceUnderTest? service = null;
        try
        {
            var cgroupUnavailable = settings.Cgroup == "off" ? "turned off (--cgroup off)" : SoakCgroup.Unavailable();
            if (cgroupUnavailable is null)
            {
                cgroup = SoakCgroup.Create(settings.CgroupName ?? $"mc-soak-{Guid.NewGuid():N}", CgroupLimitSwings.HighLimitMb * 1024 * 1024);
            }
            else if (settings.Cgroup == "on")
            {
                throw new InvalidOperationException($"--cgroup on, but no memory cgroup can be made: {cgroupUnavailable}");
            }

            output.WriteLine($"== soak: {settings.Duration.TotalSeconds:F0} s (warm-up {settings.WarmUp.TotalSeconds:F0} s), {settings.Clients} clients at {settings.RequestsPerSecond} requests/s (2/3 core), scratch {scratch}");
            output.WriteLine(cgroup is null
                ? $"   cgroup part SKIPPED: {cgroupUnavailable}"
                : $"   cgroup: {cgroup.Directory} (limit {CgroupLimitSwings.HighLimitMb} MB, lowered after the warm-up)");
            output.WriteLine($"   machine: {Environment.ProcessorCount} cores, dotnet {Environment.Version}");

            ContractChurn.WriteFirst(contractPath, snapshots);
            service = await ServiceUnderTest.StartAsync(settings.ServiceDirectory, contractPath, cgroup?.Directory, TimeSpan.FromSeconds(60));
            output.WriteLine($"   LeakyService pid {service.Pid} at {service.Url}");
            using var client = new ServiceClient(service.Url);
            var churn = new ContractChurn(client, contractPath, snapshots);

            var clock = Stopwatch.StartNew();
            var pid = service.Pid;
            using var loadStop = new CancellationTokenSource();
            using var chaosStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var load = new LoadClients(client, settings);
            var watch = new ProcWatch(pid);
            var loadTask = load.RunAsync(loadStop.Token);
            var watchTask = watch.RunAsync(loadStop.Token);
            var churnTask = churn.RunAsync(chaosStop.Token);
            var faultTask = faults.RunAsync(chaosStop.Token);

            await Task.Delay(settings.WarmUp, chaosStop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            var baselineState = await client.SoakAsync(collect: true, CancellationToken.None);
            var start = ProcFacts.Read(pid);
            output.WriteLine($"   after warm-up ({clock.Elapsed.TotalSeconds:F0} s): threads {start.Threads}, fds {start.Fds}, RSS {start.RssMb:F0} MB, heap after a full collection {baselineState.HeapMb:F1} MB");

            var leaks = new LeakCycles(client, () => pid);
            var leakTask = leaks.RunAsync(chaosStop.Token);
            CgroupLimitSwings? swings = cgroup is null ? null : new CgroupLimitSwings(cgroup, start.RssMb);
            var swingTask = swings?.RunAsync(chaosStop.Token) ?? Task.CompletedTask;

            var remaining = settings.Duration - clock.Elapsed;
            if (remaining > TimeSpan.Zero)
            {
                await Task.Delay(remaining, chaosStop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            await chaosStop.CancelAsync();
            await Task.WhenAll(churnTask, faultTask, leakTask, swingTask).WaitAsync(TimeSpan.FromSeconds(60), CancellationToken.None);

            // The chaos is over; the load goes on a little, then the end figures.
            await Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None);
            var end = ProcFacts.Read(pid);
            var alive = !service.HasExited;
            await loadStop.CancelAsync();
            await Task.WhenAll(loadTask, watchTask).WaitAsync(TimeSpan.FromSeconds(60), CancellationToken.None);
            var final = await client.SoakAsync(collect: false, CancellationToken.None);
            var oomKills = cgroup?.OomKills;
            var exitCode = await service.StopAsync(TimeSpan.FromSeconds(30));

            var run = new SoakOutcome(settings, clock.Elapsed, load, churn, leaks, faults, swings, cgroupUnavailable, client.VersionsSeen,
                baselineState, start, end, watch, final, alive, exitCode, oomKills, service.Stderr);
            var report = SoakChecks.Evaluate(run);
            SoakChecks.Print(run, report, output);
            return report;
        }
        finally
        {
            service?.Dispose();
            try
            {
                faults.Restore();
            }
            catch (IOException e)
            {
                output.WriteLine($"   cleanup: {e.Message}");
            }

            cgroup?.Dispose();
            try
            {
                Directory.Delete(scratch, recursive: true);
            }
            catch (IOException e)
            {
                output.WriteLine($"   cleanup: could not remove {scratch}: {e.Message}");
            }
        }
    }
}

/// <summary>The highest threads, descriptors and resident set seen, read once a second.</summary>
internal sealed class ProcWatch(int pid)
{
    public ProcFacts Max { get; private set; }

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var now = ProcFacts.Read(pid);
                Max = new ProcFacts(Math.Max(Max.Threads, now.Threads), Math.Max(Max.Fds, now.Fds), Math.Max(Max.RssMb, now.RssMb));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return; // gone: the checks say so
            }

            await Task.Delay(1000, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}

/// <summary>Everything a run observed, for <see cref="SoakChecks"/>.</summary>
internal sealed record SoakOutcome(
    SoakSettings Settings,
    TimeSpan Elapsed,
    LoadClients Load,
    ContractChurn Churn,
    LeakCycles Leaks,
    SnapshotDirectoryFaults SnapshotFaults,
    CgroupLimitSwings? Swings,
    string? CgroupUnavailable,
    IReadOnlyDictionary<string, long> VersionsSeen,
    SoakState Baseline,
    ProcFacts Start,
    ProcFacts End,
    ProcWatch Watch,
    SoakState Final,
    bool AliveAtEnd,
    int? ExitCode,
    long? OomKills,
    IReadOnlyList<string> Stderr)
{
    public static string Number(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
