using System.Diagnostics;
using System.Net;

namespace SoakDriver;

/// <summary>One leak cycle: what was leaked, and the memory read after its release.</summary>
/// <param name="Index">1, 2, ...</param>
/// <param name="Kind"><c>managed</c> (<c>POST /leak</c>, a static list) or <c>native</c> (<c>POST /native</c>, NativeMemory).</param>
/// <param name="LeakedMb">MB the service took (requests answered 200).</param>
/// <param name="Shed">Leak requests shed with 429 (the guard stopping the leak).</param>
/// <param name="ReleasedMb">MB the release (<c>DELETE</c>) said it freed.</param>
/// <param name="HeapAfterMb">The GC heap after the release and a full compacting collection.</param>
/// <param name="NativeAfterMb">Native MB still held by the leak after the release.</param>
/// <param name="RssAfterMb">The service's resident set after the release.</param>
/// <param name="LevelAfter">The guard's level after the release and settle.</param>
internal sealed record LeakCycle(int Index, string Kind, int LeakedMb, int Shed, int ReleasedMb, double HeapAfterMb, int NativeAfterMb, double RssAfterMb, string LevelAfter);

/// <summary>
/// A leak switched on and off: cycles of <see cref="SoakSettings.LeakOn"/> leaking 1 MB per request
/// at <see cref="SoakSettings.LeakRequestsPerSecond"/> (managed and native alternating), then released,
/// then, after <see cref="SoakSettings.LeakSettle"/>, the memory read (see <see cref="LeakCycle"/>).
/// </summary>
internal sealed class LeakCycles(ServiceClient client, Func<int> pid)
{
    private readonly List<LeakCycle> _cycles = [];

    public IReadOnlyList<LeakCycle> Cycles
    {
        get
        {
            lock (_cycles)
            {
                return [.. _cycles];
            }
        }
    }

    public async Task RunAsync(CancellationToken stop)
    {
        for (var index = 1; !stop.IsCancellationRequested; index++)
        {
            var kind = index % 2 == 1 ? "managed" : "native";
            var path = kind == "managed" ? "/leak" : "/native";
            var (leaked, shed) = await LeakAsync(path, stop);

            // Released whatever happens, even when the run is stopping.
            var released = await client.DeleteAsync(path, CancellationToken.None);
            if (stop.IsCancellationRequested)
            {
                return;
            }

            await Task.Delay(SoakSettings.LeakSettle, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (stop.IsCancellationRequested)
            {
                return;
            }

            var state = await client.SoakAsync(collect: true, CancellationToken.None);
            var stats = await client.StatsAsync(CancellationToken.None);
            var cycle = new LeakCycle(index, kind, leaked, shed, released, state.HeapMb, state.NativeMb, ProcFacts.Read(pid()).RssMb, stats.GetProperty("level").GetString() ?? "?");
            lock (_cycles)
            {
                _cycles.Add(cycle);
            }
        }
    }

    private async Task<(int Leaked, int Shed)> LeakAsync(string path, CancellationToken stop)
    {
        int leaked = 0, shed = 0;
        var clock = Stopwatch.StartNew();
        var interval = TimeSpan.FromSeconds(1.0 / SoakSettings.LeakRequestsPerSecond);
        for (var next = TimeSpan.Zero; clock.Elapsed < SoakSettings.LeakOn && !stop.IsCancellationRequested; next += interval)
        {
            var wait = next - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            try
            {
                using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, path), CancellationToken.None);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    leaked++;
                }
                else if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    shed++;
                }
            }
            catch (HttpRequestException)
            {
                // Counted by neither: the report's core figures and the service's state tell the story.
            }
        }

        return (leaked, shed);
    }
}
