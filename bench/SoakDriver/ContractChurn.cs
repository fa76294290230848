using System.Diagnostics;
using System.Text;

namespace SoakDriver;

/// <summary>One contract rewrite and what the service did with it.</summary>
/// <param name="Step">1, 2, ...</param>
/// <param name="Kind"><c>good</c>, <c>half_written</c> (a good contract written half, left ~1.5 s, then completed) or a bad kind (<see cref="ContractTexts.BadKinds"/>).</param>
/// <param name="Method"><c>in_place</c>, <c>rename</c> (write a temp file, rename it over) or <c>symlink</c> (a new file, then a symbolic link renamed over the path).</param>
/// <param name="Version">The version written (<c>soak-N</c> or <c>bad-N</c>).</param>
/// <param name="Held">Whether the service did what it should: a good one in force, a bad one refused with the last good one kept.</param>
/// <param name="Detail">What was seen.</param>
/// <param name="Seconds">How long until it showed.</param>
internal sealed record ContractStep(int Step, string Kind, string Method, string Version, bool Held, string Detail, double Seconds);

/// <summary>
/// Rewrites the contract every <see cref="SoakSettings.ContractPeriod"/>: good and bad versions
/// alternating, one good one in six half-written first, by writing in place, by rename and by symbolic
/// link swap; after each, waits (bounded) until the service shows the outcome (a good one's version on
/// its responses; for a bad one, one more refusal counted while the version stays the last good one).
/// </summary>
internal sealed class ContractChurn(ServiceClient client, string contractPath, string snapshotDirectory)
{
    private static readonly string[] Methods = ["in_place", "rename", "symlink"];
    private readonly List<ContractStep> _steps = [];
    private int _n = 1;

    /// <summary>Gets the last good version written (the one the service must be running).</summary>
    public string LastGood { get; private set; } = "soak-1";

    public IReadOnlyList<ContractStep> Steps
    {
        get
        {
            lock (_steps)
            {
                return [.. _steps];
            }
        }
    }

    /// <summary>Writes the first good contract, <c>soak-1</c> (before the service starts).</summary>
    public static void WriteFirst(string contractPath, string snapshotDirectory) =>
        File.WriteAllText(contractPath, ContractTexts.Good(1, snapshotDirectory));

    public async Task RunAsync(CancellationToken stop)
    {
        for (var step = 1; !stop.IsCancellationRequested; step++)
        {
            var started = Stopwatch.StartNew();
            var method = Methods[(step / 2) % Methods.Length];
            var n = ++_n;
            ContractStep result;
            if (step % 2 == 1)
            {
                result = step % 6 == 5 ? await HalfWrittenAsync(step, n, stop) : await GoodAsync(step, n, method, stop);
            }
            else
            {
                var kind = ContractTexts.BadKinds[(step / 2 - 1) % ContractTexts.BadKinds.Length];
                result = await BadAsync(step, n, kind, kind == "deleted" ? "delete" : method, stop);
            }

            if (stop.IsCancellationRequested && !result.Held)
            {
                return; // cut short by the end of the run: not a verdict
            }

            lock (_steps)
            {
                _steps.Add(result);
            }

            var rest = SoakSettings.ContractPeriod - started.Elapsed;
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task<ContractStep> GoodAsync(int step, int n, string method, CancellationToken stop)
    {
        var version = $"soak-{n}";
        Write(method, ContractTexts.Good(n, snapshotDirectory), n);
        return await AwaitVersionAsync(step, "good", method, version, stop);
    }

    private async Task<ContractStep> HalfWrittenAsync(int step, int n, CancellationToken stop)
    {
        var version = $"soak-{n}";
        var text = Encoding.UTF8.GetBytes(ContractTexts.Good(n, snapshotDirectory));
        var cut = Encoding.UTF8.GetByteCount(ContractTexts.Good(n, snapshotDirectory)[..(ContractTexts.Good(n, snapshotDirectory).IndexOf(ContractTexts.HalfWrittenCut, StringComparison.Ordinal) + ContractTexts.HalfWrittenCut.Length)]);
        var clock = Stopwatch.StartNew();
        string? seenDuringHalf = null;
        await using (var stream = new FileStream(contractPath, FileMode.Create, FileAccess.Write, FileShare.ReadWrite))
        {
            await stream.WriteAsync(text.AsMemory(0, cut), CancellationToken.None);
            await stream.FlushAsync(CancellationToken.None);

            // Long enough for the watcher to read it (twice: a failure is confirmed one debounce later).
            while (clock.Elapsed < TimeSpan.FromSeconds(1.5))
            {
                var now = await client.ContractVersionAsync(CancellationToken.None);
                if (now != LastGood)
                {
                    seenDuringHalf = now;
                }

                await Task.Delay(100, CancellationToken.None);
            }

            await stream.WriteAsync(text.AsMemory(cut), CancellationToken.None);
        }

        var completed = await AwaitVersionAsync(step, "half_written", "in_place", version, stop);
        return seenDuringHalf is null
            ? completed
            : completed with { Held = false, Detail = $"the half-written file was put in force ({seenDuringHalf} while {LastGood} was expected); " + completed.Detail };
    }

    private async Task<ContractStep> BadAsync(int step, int n, string kind, string method, CancellationToken stop)
    {
        var version = $"bad-{n}";
        var before = Refusals(await client.SoakAsync(false, CancellationToken.None));
        var text = ContractTexts.Bad(kind, n, snapshotDirectory);
        if (text is null)
        {
            File.Delete(contractPath);
        }
        else
        {
            Write(method, text, n);
        }

        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < SoakSettings.ContractDeadline && !stop.IsCancellationRequested)
        {
            var state = await client.SoakAsync(false, CancellationToken.None);
            var now = await client.ContractVersionAsync(CancellationToken.None);
            if (now != LastGood)
            {
                return new ContractStep(step, kind, method, version, false, $"in force: {now} (expected {LastGood} kept)", clock.Elapsed.TotalSeconds);
            }

            if (Refusals(state) > before)
            {
                return new ContractStep(step, kind, method, version, true, $"refused, {LastGood} kept", clock.Elapsed.TotalSeconds);
            }

            await Task.Delay(100, CancellationToken.None);
        }

        return new ContractStep(step, kind, method, version, false, $"no refusal counted within {SoakSettings.ContractDeadline.TotalSeconds} s", clock.Elapsed.TotalSeconds);
    }

    private static double Refusals(SoakState state) =>
        state.Counter("memory_contracts.contract.reloads", "outcome=failure") + state.Event(107);

    private async Task<ContractStep> AwaitVersionAsync(int step, string kind, string method, string version, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        string? now = null;
        while (clock.Elapsed < SoakSettings.ContractDeadline && !stop.IsCancellationRequested)
        {
            now = await client.ContractVersionAsync(CancellationToken.None);
            if (now == version)
            {
                LastGood = version;
                return new ContractStep(step, kind, method, version, true, "in force", clock.Elapsed.TotalSeconds);
            }

            await Task.Delay(100, CancellationToken.None);
        }

        return new ContractStep(step, kind, method, version, false, $"not in force within {SoakSettings.ContractDeadline.TotalSeconds} s (still {now})", clock.Elapsed.TotalSeconds);
    }

    private void Write(string method, string text, int n)
    {
        var directory = Path.GetDirectoryName(contractPath)!;
        switch (method)
        {
            case "in_place":
                // Through a symbolic link left by an earlier swap, this rewrites its target: still in place.
                File.WriteAllText(contractPath, text);
                break;
            case "rename":
                var temporary = Path.Join(directory, ".contract.yaml.tmp");
                File.WriteAllText(temporary, text);
                File.Move(temporary, contractPath, overwrite: true);
                break;
            case "symlink":
                var target = $"contract-{n}.yaml";
                File.WriteAllText(Path.Join(directory, target), text);
                var link = Path.Join(directory, ".contract.yaml.link");
                File.Delete(link);
                File.CreateSymbolicLink(link, target);
                File.Move(link, contractPath, overwrite: true);
                File.Delete(Path.Join(directory, $"contract-{n - 6}.yaml"));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(method), method, "unknown write method");
        }
    }
}
