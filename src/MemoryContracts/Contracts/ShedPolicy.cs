namespace MemoryContracts;

/// <summary>
/// How requests are shed (<c>responses.shed</c> in the contract file).
/// </summary>
public sealed class ShedPolicy
{
    /// <summary>Gets the <c>Retry-After</c> sent with a shed response, in seconds. The default value is 5.</summary>
    public int RetryAfterSeconds { get; init; } = 5;

    /// <summary>
    /// Gets a value indicating whether, between the high and critical heap thresholds, a rising
    /// fraction of non-core requests is shed. The default value is <see langword="true"/>.
    /// </summary>
    public bool Scaled { get; init; } = true;

    /// <summary>Gets the path prefixes that are never shed. The default value is <c>/health</c>, <c>/healthz</c>, <c>/metrics</c>.</summary>
    public IReadOnlyList<string> ExemptPaths { get; init; } = ["/health", "/healthz", "/metrics"];
}
