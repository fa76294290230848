namespace MemoryContracts;

/// <summary>
/// What <see cref="PrimaryHandlerRedirects"/> made of a client's primary handler: how many redirects
/// <see cref="MemoryContractHeadersHandler"/> follows itself (0: none, the primary handler does
/// whatever it does), and, when the primary handler follows redirects in a way that cannot be taken
/// over, why the client sends no headers.
/// </summary>
/// <param name="MaxRedirections">The redirects the handler follows per request (the primary handler's <c>MaxAutomaticRedirections</c>).</param>
/// <param name="HeadersWithheldBecause">Why the client sends no <c>X-Memory-*</c> headers, or <see langword="null"/>.</param>
internal readonly record struct RedirectTakeover(int MaxRedirections, string? HeadersWithheldBecause)
{
    /// <summary>Gets the takeover of a primary handler that does not follow redirects, or is not one we know.</summary>
    public static RedirectTakeover None => default;
}
