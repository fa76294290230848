using Microsoft.AspNetCore.Http;

namespace MemoryContracts;

/// <summary>
/// What the middleware decided about one endpoint, computed once from its metadata and route pattern
/// and cached by <see cref="Endpoint"/> instance.
/// </summary>
internal sealed class EndpointPolicy
{
    public EndpointPolicy(EndpointModule? module, bool neverShed)
    {
        Module = module;
        NeverShed = neverShed;
    }

    /// <summary>
    /// Gets the endpoint's module, or <see langword="null"/> when it depends on the request path (a
    /// route parameter comes before a module's route prefix ends), to be looked up per request.
    /// </summary>
    public EndpointModule? Module { get; }

    /// <summary>Gets a value indicating whether the endpoint is never shed (<c>[DisableMemoryShedding]</c> or a health check).</summary>
    public bool NeverShed { get; }
}
