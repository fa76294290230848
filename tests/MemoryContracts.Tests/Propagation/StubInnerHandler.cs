using System.Net;

namespace MemoryContracts.Tests.Propagation;

/// <summary>An inner handler standing for the network: records what it was sent and answers with <see cref="Respond"/>.</summary>
internal sealed class StubInnerHandler : HttpMessageHandler
{
    private int _calls;

    public Func<HttpRequestMessage, HttpResponseMessage> Respond { get; set; } = _ => new HttpResponseMessage(HttpStatusCode.OK);

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Gets the X-Memory-* headers of the last request, name → value.</summary>
    public Dictionary<string, string> LastMemoryHeaders { get; private set; } = [];

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromResult(Send(request, cancellationToken));

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        LastMemoryHeaders = request.Headers
            .Where(h => h.Key.StartsWith("X-Memory-", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(h => h.Key, h => string.Join(",", h.Value));
        return Respond(request);
    }

    public static HttpResponseMessage Pressured(HttpStatusCode status, string usage, string? retryAfter = null)
    {
        var response = new HttpResponseMessage(status);
        response.Headers.TryAddWithoutValidation("X-Memory-Usage", usage);
        if (retryAfter is not null)
        {
            response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
        }

        return response;
    }
}
