using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;

namespace LeakyService;

/// <summary>
/// The survival runs' clients, bounded in time: non-core requests that grow the service's memory by
/// <c>growth</c> MB/s (<c>managed</c>: half cache fills, half leak; <c>native</c>: native leak) or
/// scan files through the page cache back to back (<c>files</c>) — they ignore Retry-After, as a
/// hostile or broken client would — and core orders at a steady pace. Prints a line a second and a
/// final <c>RESULT</c> line; stops early once the service is unreachable.
/// </summary>
internal static class SurvivalDriver
{
    private const int GrowthWorkers = 4;
    private const int CoreWorkers = 2;

    public static async Task<int> RunAsync(DriveSettings settings, TextWriter output)
    {
        if (settings.Growth is not ("managed" or "native" or "files"))
        {
            throw new ArgumentException($"--growth is managed, native or files, not '{settings.Growth}'");
        }

        using var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(2) };
        using var client = new HttpClient(handler) { BaseAddress = settings.Url, Timeout = TimeSpan.FromSeconds(settings.Growth == "files" ? 60 : 5) };
        using var stop = new CancellationTokenSource(settings.Duration);
        var core = new Tally();
        var cache = new Tally();
        var leak = new Tally();
        var usage = new UsageHeader();
        var unreachable = new Unreachable();
        var cgroup = settings.CgroupDirectory is null ? null : new CgroupWatch(settings.CgroupDirectory);
        var started = Stopwatch.GetTimestamp();

        var workers = new List<Task>();
        if (settings.Growth == "files")
        {
            // One scan at a time, back to back: each writes and reads a file of ScanMb through the page cache.
            workers.Add(PaceAsync(double.PositiveInfinity, stop, unreachable, async token =>
            {
                var status = await SendAsync(client, HttpMethod.Post, string.Create(CultureInfo.InvariantCulture, $"/files/scan?mb={settings.ScanMb}&write={settings.ScanWrite}"), null, usage, token);
                if (status >= 0)
                {
                    cache.Record(status);
                }
            }));
        }
        else
        {
            var growthPerWorker = settings.GrowthMbPerSecond / (double)GrowthWorkers;
            for (var i = 0; i < GrowthWorkers; i++)
            {
                var (path, tally) = settings.Growth == "native" ? ("/native", leak) : i % 2 == 0 ? ("/cache", cache) : ("/leak", leak);
                workers.Add(PaceAsync(growthPerWorker, stop, unreachable, async token =>
                {
                    var status = await SendAsync(client, HttpMethod.Post, path, null, usage, token);
                    if (status >= 0)
                    {
                        tally.Record(status);
                    }
                }));
            }
        }

        long orderId = 0;
        for (var i = 0; i < CoreWorkers; i++)
        {
            workers.Add(PaceAsync(settings.CoreRequestsPerSecond / (double)CoreWorkers, stop, unreachable, async token =>
            {
                var status = await SendAsync(client, HttpMethod.Post, "/orders", new Order(Interlocked.Increment(ref orderId), 2, 0), usage, token);
                if (status >= 0)
                {
                    core.Record(status);
                    unreachable.Observe(status);
                }
            }));
        }

        if (cgroup is not null)
        {
            workers.Add(cgroup.RunAsync(stop.Token));
        }

        var lastStats = new Stats[1];
        workers.Add(ReportAsync(client, output, started, core, cache, leak, cgroup, settings.Growth, lastStats, stop));
        await Task.WhenAll(workers);

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var final = await TryStatsAsync(client) ?? lastStats[0];
        cgroup?.Read();
        var grownMb = settings.Growth == "files" ? cache.Served * settings.ScanMb : cache.Served + leak.Served;
        var coreShare = core.Sent == 0 ? 0 : 100.0 * core.Served / core.Sent;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT seconds={seconds:F1} growth={settings.Growth} core_sent={core.Sent} core_served={core.Served} core_failed={core.Failed + core.Shed} core_served_percent={coreShare:F2} " +
            $"noncore_sent={cache.Sent + leak.Sent} noncore_served={cache.Served + leak.Served} noncore_shed={cache.Shed + leak.Shed} noncore_failed={cache.Failed + leak.Failed} " +
            $"grown_mb={grownMb} offered_mb_per_s={(settings.Growth == "files" ? grownMb : cache.Sent + leak.Sent) / seconds:F0} service_unreachable={(unreachable.IsDown ? "yes" : "no")} " +
            $"highest_level={final?.HighestLevel ?? "unknown"} max_usage_header={usage.Max} native_mb={final?.NativeMb.ToString(CultureInfo.InvariantCulture) ?? "unknown"} " +
            $"peak_working_set_mb={(cgroup is null ? "unknown" : cgroup.PeakWorkingSetMb.ToString(CultureInfo.InvariantCulture))}"));
        return 0;
    }

    private static async Task PaceAsync(double perSecond, CancellationTokenSource stop, Unreachable unreachable, Func<CancellationToken, Task> send)
    {
        await Task.Yield();
        var period = TimeSpan.FromSeconds(1 / perSecond);
        var next = Stopwatch.GetTimestamp();
        while (!stop.IsCancellationRequested && !unreachable.IsDown)
        {
            await send(stop.Token);
            next += (long)(period.TotalSeconds * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            else if (wait < -TimeSpan.FromSeconds(1))
            {
                next = Stopwatch.GetTimestamp(); // far behind (the service stalled): no burst to catch up
            }
        }

        if (unreachable.IsDown)
        {
            await stop.CancelAsync();
        }
    }

    private static async Task ReportAsync(HttpClient client, TextWriter output, long started, Tally core, Tally cache, Tally leak, CgroupWatch? cgroup, string growth, Stats[] lastStats, CancellationTokenSource stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await Task.Delay(1000, stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            var stats = await TryStatsAsync(client);
            string state;
            if (stats is null)
            {
                state = "service unreachable";
            }
            else
            {
                lastStats[0] = stats;
                state = growth == "managed"
                    ? string.Create(CultureInfo.InvariantCulture, $"heap {stats.HeapMb,4} MB of {stats.CapacityMb} MB, level {stats.Level,-8} usage {stats.UsagePercent,3}%, leak {stats.LeakedMb,4} MB")
                    : string.Create(CultureInfo.InvariantCulture, $"heap {stats.HeapMb,4} MB, native {stats.NativeMb,4} MB, level {stats.Level,-8} usage {stats.UsagePercent,3}%");
            }

            if (cgroup is not null)
            {
                state += string.Create(CultureInfo.InvariantCulture, $", cgroup usage {cgroup.UsageMb,4} MB, working set {cgroup.WorkingSetMb,4} MB");
            }

            var what = growth == "files" ? "scans" : "growth";
            var served = growth == "files" ? $"{cache.Served} served" : $"{cache.Served + leak.Served} MB served";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  t={Stopwatch.GetElapsedTime(started).TotalSeconds,5:F1}s  {state}  | core {core.Served}/{core.Sent} served | {what}: {served}, {cache.Shed + leak.Shed} shed, {cache.Failed + leak.Failed} failed"));
        }
    }

    private static async Task<Stats?> TryStatsAsync(HttpClient client)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            return await client.GetFromJsonAsync<Stats>(new Uri("/stats", UriKind.Relative), timeout.Token);
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Sends a request; returns its status code, or 0 when it failed without one.</summary>
    private static async Task<int> SendAsync(HttpClient client, HttpMethod method, string path, Order? body, UsageHeader usage, CancellationToken token)
    {
        try
        {
            using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
            if (body is not null)
            {
                request.Content = JsonContent.Create(body);
            }

            using var response = await client.SendAsync(request, token);
            usage.Observe(response);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            return 0; // timed out
        }
        catch (OperationCanceledException)
        {
            return -1; // the run ended
        }
    }

    /// <summary>The highest <c>X-Memory-Usage</c> the service sent (loopback is a trusted caller).</summary>
    private sealed class UsageHeader
    {
        private int _max = -1;

        /// <summary>Gets the highest percent seen; -1 when no response carried the header.</summary>
        public int Max => Volatile.Read(ref _max);

        public void Observe(HttpResponseMessage response)
        {
            if (response.Headers.TryGetValues("X-Memory-Usage", out var values)
                && int.TryParse(values.First().TrimEnd('%'), NumberStyles.None, CultureInfo.InvariantCulture, out var percent))
            {
                int seen;
                while (percent > (seen = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, percent, seen) != seen)
                {
                }
            }
        }
    }

    /// <summary>Decides that the service is down after a second of nothing but connection failures on core requests.</summary>
    private sealed class Unreachable
    {
        private long _firstFailure;
        private volatile bool _down;

        public bool IsDown => _down;

        public void Observe(int status)
        {
            if (status != 0)
            {
                Interlocked.Exchange(ref _firstFailure, 0);
                return;
            }

            var now = Stopwatch.GetTimestamp();
            Interlocked.CompareExchange(ref _firstFailure, now, 0);
            if (Stopwatch.GetElapsedTime(Interlocked.Read(ref _firstFailure), now) > TimeSpan.FromSeconds(1))
            {
                _down = true;
            }
        }
    }
}
