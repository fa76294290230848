using System.Globalization;
using System.Net.Http.Json;
using ShopApi.Checkout;

namespace ShopApi.Demo;

/// <summary>
/// The demo's clients: steady background traffic to the three modules, at a fixed pace, and the
/// leak requests the scenario sends. Every answer is tallied per module (served, shed, failed).
/// </summary>
internal sealed class DemoTraffic : IAsyncDisposable
{
    /// <summary>Products the catalog traffic asks for: a working set that fits the catalog's budget.</summary>
    private const int CatalogWorkingSet = 300;

    /// <summary>Products checkout buys: enough that the inventory keeps missing and deciding whether to cache.</summary>
    private const int CheckoutRange = 2_000;

    private readonly HttpClient _client;
    private readonly DemoSettings _settings;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _workers = [];
    private long _leakedMb;

    public DemoTraffic(Uri shop, DemoSettings settings)
    {
        _settings = settings;
        _client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { BaseAddress = shop, Timeout = TimeSpan.FromSeconds(10) };
    }

    public ModuleTally Catalog { get; } = new("catalog");

    public ModuleTally Checkout { get; } = new("checkout");

    public ModuleTally Reports { get; } = new("reports");

    /// <summary>Gets the MB the leak requests that were served added.</summary>
    public long LeakedMb => Interlocked.Read(ref _leakedMb);

    /// <summary>Starts the background traffic.</summary>
    public void Start()
    {
        var pace = _settings.TrafficPerSecond;
        _workers.Add(RunAsync(pace[0], Catalog, (i, token) => _client.GetAsync(new Uri("/catalog/products/" + (1 + (i % CatalogWorkingSet)).ToString(CultureInfo.InvariantCulture), UriKind.Relative), token)));
        _workers.Add(RunAsync(pace[1], Checkout, (i, token) => _client.PostAsJsonAsync(new Uri("/checkout", UriKind.Relative), new CheckoutRequest(1 + (int)((i * 7919L) % CheckoutRange), 1), token)));
        _workers.Add(RunAsync(pace[2], Reports, (_, token) => _client.GetAsync(new Uri("/reports/daily", UriKind.Relative), token)));
    }

    /// <summary>Sends one leak request of <paramref name="megabytes"/> MB (tallied under reports).</summary>
    public async Task LeakAsync(int megabytes, CancellationToken cancellationToken)
    {
        var status = await SendAsync(token => _client.PostAsync(new Uri("/reports/leak?mb=" + megabytes.ToString(CultureInfo.InvariantCulture), UriKind.Relative), content: null, token), cancellationToken);
        Reports.Record(status);
        if (status is >= 200 and < 300)
        {
            Interlocked.Add(ref _leakedMb, megabytes);
        }
    }

    /// <summary>Releases the leak (an endpoint that is never shed).</summary>
    public async Task<bool> ReleaseAsync(CancellationToken cancellationToken)
    {
        var status = await SendAsync(token => _client.DeleteAsync(new Uri("/reports/leak", UriKind.Relative), token), cancellationToken);
        return status is >= 200 and < 300;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_workers);
        }
        catch (OperationCanceledException)
        {
        }

        _client.Dispose();
        _stop.Dispose();
    }

    private async Task RunAsync(int perSecond, ModuleTally tally, Func<long, CancellationToken, Task<HttpResponseMessage>> send)
    {
        await Task.Yield();
        var period = TimeSpan.FromSeconds(1.0 / perSecond);
        var token = _stop.Token;
        var next = DateTime.UtcNow;
        for (long i = 0; !token.IsCancellationRequested; i++)
        {
            var status = await SendAsync(t => send(i, t), token);
            if (token.IsCancellationRequested)
            {
                break;
            }

            tally.Record(status);
            next += period;
            var wait = next - DateTime.UtcNow;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            else if (wait < -period * 10)
            {
                next = DateTime.UtcNow; // fell far behind (a GC pause): do not burst to catch up
            }
        }
    }

    /// <summary>Sends a request; returns its status code, or 0 when it failed without one.</summary>
    private static async Task<int> SendAsync(Func<CancellationToken, Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await send(cancellationToken);
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return 0; // timed out
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
    }
}
