using System.Net;

namespace MemoryContracts.Tests.Backoff;

/// <summary>
/// An inner handler standing for several replicas behind one name (a Kubernetes Service): calls go to
/// the replicas in turn, and each replica either serves (200, <c>X-Memory-Usage: 40%</c>) or sheds as
/// MemoryContracts does (429 with <c>X-Memory-Usage: 97%</c> and <c>Retry-After</c>).
/// </summary>
internal sealed class ScriptedReplicas : HttpMessageHandler
{
    private readonly bool[] _shedding;
    private readonly int[] _calls;
    private int _next;

    public ScriptedReplicas(int count)
    {
        _shedding = new bool[count];
        _calls = new int[count];
    }

    /// <summary>Gets or sets the <c>Retry-After</c> a shedding replica sends, in seconds.</summary>
    public int RetryAfterSeconds { get; set; } = 5;

    /// <summary>Gets how many calls reached the replicas, in all.</summary>
    public int Calls => _calls.Sum();

    /// <summary>Gets how many calls reached replica <paramref name="index"/>.</summary>
    public int CallsTo(int index) => _calls[index];

    /// <summary>Makes replica <paramref name="index"/> shed (or serve again).</summary>
    public void Shed(int index, bool shedding = true) => _shedding[index] = shedding;

    /// <summary>Makes every replica shed (or serve again).</summary>
    public void ShedAll(bool shedding = true) => Array.Fill(_shedding, shedding);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromResult(Send(request, cancellationToken));

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var replica = _next;
        _next = (_next + 1) % _shedding.Length;
        _calls[replica]++;
        var response = new HttpResponseMessage(_shedding[replica] ? HttpStatusCode.TooManyRequests : HttpStatusCode.OK) { RequestMessage = request };
        response.Headers.TryAddWithoutValidation("X-Memory-Usage", _shedding[replica] ? "97%" : "40%");
        if (_shedding[replica])
        {
            response.Headers.TryAddWithoutValidation("Retry-After", RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return response;
    }
}
