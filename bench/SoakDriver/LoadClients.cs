using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;

namespace SoakDriver;

/// <summary>
/// Mixed load at a bounded rate: <c>Clients</c> concurrent loops sharing <c>RequestsPerSecond</c>, each
/// request on its own schedule slot (late slots are not made up). Two of three are core
/// (<c>POST /orders</c>, module checkout); the third is non-core (<c>GET /catalog/{id}</c>, module
/// catalog), which may be shed with 429. Every core answer other than 200 is a failure.
/// </summary>
internal sealed class LoadClients(ServiceClient client, SoakSettings settings)
{
    private readonly ConcurrentQueue<string> _coreFailures = new();
    private long _coreSent;
    private long _coreServed;
    private long _nonCoreSent;
    private long _nonCoreServed;
    private long _nonCoreShed;
    private long _nonCoreFailed;
    private long _maxCoreMicroseconds;

    public long CoreSent => Interlocked.Read(ref _coreSent);

    public long CoreServed => Interlocked.Read(ref _coreServed);

    public long CoreFailed => CoreSent - CoreServed;

    public long NonCoreSent => Interlocked.Read(ref _nonCoreSent);

    public long NonCoreServed => Interlocked.Read(ref _nonCoreServed);

    public long NonCoreShed => Interlocked.Read(ref _nonCoreShed);

    public long NonCoreFailed => Interlocked.Read(ref _nonCoreFailed);

    public double MaxCoreMs => Interlocked.Read(ref _maxCoreMicroseconds) / 1000.0;

    /// <summary>Gets the first core failures (at most 20), for the report.</summary>
    public IReadOnlyList<string> CoreFailures => [.. _coreFailures];

    public Task RunAsync(CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, settings.Clients).Select(i => Task.Run(() => ClientAsync(i, stop), CancellationToken.None)));

    private async Task ClientAsync(int index, CancellationToken stop)
    {
        var interval = TimeSpan.FromSeconds(settings.Clients / (double)settings.RequestsPerSecond);
        var clock = Stopwatch.StartNew();
        var next = interval * index / settings.Clients;
        for (long n = index; !stop.IsCancellationRequested; n += settings.Clients)
        {
            var wait = next - clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            if (stop.IsCancellationRequested)
            {
                return;
            }

            next += interval;
            if (next < clock.Elapsed)
            {
                next = clock.Elapsed; // late: no burst to catch up
            }

            if (n % 3 == 2)
            {
                await NonCoreAsync(n);
            }
            else
            {
                await CoreAsync(n);
            }
        }
    }

    private async Task CoreAsync(long n)
    {
        Interlocked.Increment(ref _coreSent);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/orders")
            {
                Content = new StringContent($"{{\"id\":{n},\"quantity\":{1 + (n % 9)}}}", Encoding.UTF8, "application/json"),
            };

            // Not tied to the stop token: a core request sent is a core request that must be answered.
            using var response = await client.SendAsync(request, CancellationToken.None);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Interlocked.Increment(ref _coreServed);
            }
            else
            {
                Fail($"POST /orders #{n}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            Fail($"POST /orders #{n}: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            var micros = (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds;
            var seen = Interlocked.Read(ref _maxCoreMicroseconds);
            while (micros > seen && Interlocked.CompareExchange(ref _maxCoreMicroseconds, micros, seen) != seen)
            {
                seen = Interlocked.Read(ref _maxCoreMicroseconds);
            }
        }
    }

    private async Task NonCoreAsync(long n)
    {
        Interlocked.Increment(ref _nonCoreSent);
        try
        {
            using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/catalog/{n % 1000}"), CancellationToken.None);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                Interlocked.Increment(ref _nonCoreServed);
            }
            else if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Interlocked.Increment(ref _nonCoreShed);
            }
            else
            {
                Interlocked.Increment(ref _nonCoreFailed);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            Interlocked.Increment(ref _nonCoreFailed);
        }
    }

    private void Fail(string reason)
    {
        if (_coreFailures.Count < 20)
        {
            _coreFailures.Enqueue(reason);
        }
    }
}
