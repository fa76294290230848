using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;

namespace LeakyService;

/// <summary>
/// The survival run's clients, bounded in time: non-core requests that grow the service's heap by
/// <c>growth</c> MB/s (half cache fills, half leak; they ignore Retry-After, as a hostile or broken
/// client would), and core orders at a steady pace. Prints a line a second and a final
/// <c>RESULT</c> line; stops early once the service is unreachable.
/// </summary>
internal static class SurvivalDriver
{
    private const int GrowthWorkers = 4;
    private const int CoreWorkers = 2;

    public static async Task<int> RunAsync(Uri url, TimeSpan duration, int growthMbPerSecond, int coreRequestsPerSecond, TextWriter output)
    {
        using var handler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(2) };
        using var client = new HttpClient(handler) { BaseAddress = url, Timeout = TimeSpan.FromSeconds(5) };
        using var stop = new CancellationTokenSource(duration);
        var core = new Tally();
        var cache = new Tally();
        var leak = new Tally();
        var unreachable = new Unreachable();
        var started = Stopwatch.GetTimestamp();

        var workers = new List<Task>();
        var growthPerWorker = growthMbPerSecond / (double)GrowthWorkers;
        for (var i = 0; i < GrowthWorkers; i++)
        {
            var (path, tally) = i % 2 == 0 ? ("/cache", cache) : ("/leak", leak);
            workers.Add(PaceAsync(growthPerWorker, stop, unreachable, async token =>
            {
                var status = await SendAsync(client, HttpMethod.Post, path, null, token);
                if (status >= 0)
                {
                    tally.Record(status);
                }
            }));
        }

        long orderId = 0;
        for (var i = 0; i < CoreWorkers; i++)
        {
            workers.Add(PaceAsync(coreRequestsPerSecond / (double)CoreWorkers, stop, unreachable, async token =>
            {
                var status = await SendAsync(client, HttpMethod.Post, "/orders", new Order(Interlocked.Increment(ref orderId), 2, 0), token);
                if (status >= 0)
                {
                    core.Record(status);
                    unreachable.Observe(status);
                }
            }));
        }

        workers.Add(ReportAsync(client, output, started, core, cache, leak, stop));
        await Task.WhenAll(workers);

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var grownMb = cache.Served + leak.Served;
        var coreShare = core.Sent == 0 ? 0 : 100.0 * core.Served / core.Sent;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT seconds={seconds:F1} core_sent={core.Sent} core_served={core.Served} core_failed={core.Failed + core.Shed} core_served_percent={coreShare:F2} " +
            $"noncore_sent={cache.Sent + leak.Sent} noncore_served={grownMb} noncore_shed={cache.Shed + leak.Shed} noncore_failed={cache.Failed + leak.Failed} " +
            $"grown_mb={grownMb} offered_mb_per_s={(cache.Sent + leak.Sent) / seconds:F0} service_unreachable={(unreachable.IsDown ? "yes" : "no")}"));
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

    private static async Task ReportAsync(HttpClient client, TextWriter output, long started, Tally core, Tally cache, Tally leak, CancellationTokenSource stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await Task.Delay(1000, stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            string state;
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                var stats = await client.GetFromJsonAsync<Stats>(new Uri("/stats", UriKind.Relative), timeout.Token);
                state = stats is null ? "?" : string.Create(CultureInfo.InvariantCulture,
                    $"heap {stats.HeapMb,4} MB of {stats.CapacityMb} MB, level {stats.Level,-8} usage {stats.UsagePercent,3}%, leak {stats.LeakedMb,4} MB");
            }
            catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
            {
                state = "service unreachable";
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  t={Stopwatch.GetElapsedTime(started).TotalSeconds,5:F1}s  {state}  | core {core.Served}/{core.Sent} served | growth: {cache.Served + leak.Served} MB served, {cache.Shed + leak.Shed} shed, {cache.Failed + leak.Failed} failed"));
        }
    }

    /// <summary>Sends a request; returns its status code, or 0 when it failed without one.</summary>
    private static async Task<int> SendAsync(HttpClient client, HttpMethod method, string path, Order? body, CancellationToken token)
    {
        try
        {
            using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
            if (body is not null)
            {
                request.Content = JsonContent.Create(body);
            }

            using var response = await client.SendAsync(request, token);
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
