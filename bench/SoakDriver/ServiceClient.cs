using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;

namespace SoakDriver;

/// <summary>
/// The HTTP client every part of the soak shares (loopback only): remembers every
/// <c>X-Memory-Contract</c> version any response carried, and reads <c>GET /soak</c> and <c>GET /stats</c>.
/// </summary>
internal sealed class ServiceClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly ConcurrentDictionary<string, long> _versions = new(StringComparer.Ordinal);

    public ServiceClient(Uri baseAddress)
    {
        if (!baseAddress.IsLoopback)
        {
            throw new ArgumentException($"the soak only targets loopback, not {baseAddress}", nameof(baseAddress));
        }

        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(15),
        };
    }

    /// <summary>Gets each contract version seen on a response, with how many responses carried it.</summary>
    public IReadOnlyDictionary<string, long> VersionsSeen => new Dictionary<string, long>(_versions, StringComparer.Ordinal);

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await _http.SendAsync(request, cancellationToken);
        if (response.Headers.TryGetValues("X-Memory-Contract", out var values))
        {
            foreach (var value in values)
            {
                _versions.AddOrUpdate(value, 1, (_, n) => n + 1);
            }
        }

        return response;
    }

    /// <summary>Gets the contract version in force (the <c>X-Memory-Contract</c> of a <c>GET /stats</c>).</summary>
    public async Task<string?> ContractVersionAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, "/stats"), cancellationToken);
        return response.Headers.TryGetValues("X-Memory-Contract", out var values) ? values.FirstOrDefault() : null;
    }

    public async Task<JsonElement> StatsAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, "/stats"), cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
    }

    /// <summary>Reads <c>GET /soak</c>; with <paramref name="collect"/>, after a full compacting collection in the service.</summary>
    public async Task<SoakState> SoakAsync(bool collect, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, collect ? "/soak?collect=true" : "/soak"), cancellationToken);
        response.EnsureSuccessStatusCode();
        return new SoakState(await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken));
    }

    public async Task<int> DeleteAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Delete, path), cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<int>(cancellationToken);
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>What <c>GET /soak</c> returned (bench/LeakyService/Soak/SoakMode.cs).</summary>
internal sealed class SoakState(JsonElement json)
{
    public JsonElement Json { get; } = json;

    public double HeapMb => Json.GetProperty("heapMb").GetDouble();

    public int NativeMb => Json.GetProperty("nativeMb").GetInt32();

    public long TickCount => Json.GetProperty("tickCount").GetInt64();

    public double TickLagMaxMs => Json.GetProperty("tickLagMaxMs").GetDouble();

    public double TickLagP99Ms => Json.GetProperty("tickLagP99Ms").GetDouble();

    public long ThrowingResponderActs => Json.GetProperty("throwingResponderActs").GetInt64();

    public long ThrowingResponderUndos => Json.GetProperty("throwingResponderUndos").GetInt64();

    public long UnobservedTaskExceptions => Json.GetProperty("unobservedTaskExceptions").GetInt64();

    public IReadOnlyList<string> UnexpectedErrors => [.. Json.GetProperty("unexpectedErrors").EnumerateArray().Select(e => e.GetString() ?? "")];

    /// <summary>Gets how many times the event was logged.</summary>
    public long Event(int id) => Json.GetProperty("events").TryGetProperty(id.ToString(System.Globalization.CultureInfo.InvariantCulture), out var n) ? n.GetInt64() : 0;

    /// <summary>Gets a counter's total over the tag sets whose key (<c>name tag=value ...</c>) contains every part given.</summary>
    public double Counter(string name, params string[] tags) => Json.GetProperty("counters").EnumerateObject()
        .Where(p => p.Name.Split(' ')[0] == name && tags.All(t => p.Name.Contains(t, StringComparison.Ordinal)))
        .Sum(p => p.Value.GetDouble());
}
