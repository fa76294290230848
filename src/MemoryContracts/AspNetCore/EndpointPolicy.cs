using Microsoft.AspNetCore.Http;

namespace MemoryContracts;

/// <summary>
/// What the middleware decided about one endpoint, computed once from its metadata and route pattern
/// and cached by <see cref="Endpoint"/> instance; or, for requests no endpoint matched, the one
/// path-decided policy of the map.
/// </summary>
internal sealed class EndpointPolicy
{
    public EndpointPolicy(EndpointModule? module, bool neverShed, bool exemptByPath = false)
    {
        Module = module;
        NeverShed = neverShed;
        ExemptByPath = exemptByPath;
    }

    /// <summary>
    /// Gets the endpoint's module, or <see langword="null"/> when it depends on the request path (a
    /// route parameter comes before a module's route prefix ends), to be looked up per request.
    /// </summary>
    public EndpointModule? Module { get; }

    /// <summary>
    /// Gets a value indicating whether the endpoint is never shed: <c>[DisableMemoryShedding]</c>, a
    /// health check, or a route pattern whose literal prefix lies under <c>responses.shed.exempt_paths</c>.
    /// </summary>
    public bool NeverShed { get; }

    /// <summary>
    /// Gets a value indicating whether exemption is decided per request by the raw path against
    /// <c>exempt_paths</c>: only when no endpoint matched (DESIGN §13).
    /// </summary>
    public bool ExemptByPath { get; }
}
