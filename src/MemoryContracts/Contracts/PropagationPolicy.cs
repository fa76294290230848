namespace MemoryContracts;

/// <summary>
/// How pressure is told to and heard from other services (<c>propagation</c> in the contract file).
/// </summary>
public sealed class PropagationPolicy
{
    /// <summary>Gets a value indicating whether outbound requests carry <c>X-Memory-*</c> headers. The default value is <see langword="true"/>.</summary>
    public bool Outbound { get; init; } = true;

    /// <summary>
    /// Gets the host patterns (exact names or <c>*.suffix</c>) that outbound headers are sent to, in
    /// addition to single-label names and loopback or private IP literals. The default value is
    /// <c>localhost</c>, <c>*.internal</c>, <c>*.local</c>, <c>*.svc</c>, <c>*.svc.cluster.local</c>.
    /// </summary>
    public IReadOnlyList<string> OutboundHosts { get; init; } = ["localhost", "*.internal", "*.local", "*.svc", "*.svc.cluster.local"];

    /// <summary>Gets a value indicating whether responses to trusted callers carry <c>X-Memory-*</c> headers. The default value is <see langword="true"/>.</summary>
    public bool ResponseHeaders { get; init; } = true;

    /// <summary>Gets a value indicating whether responses to trusted callers also carry the ORCA <c>endpoint-load-metrics</c> header. The default value is <see langword="true"/>.</summary>
    public bool Orca { get; init; } = true;

    /// <summary>
    /// Gets the networks (CIDR) whose callers are trusted to send and receive pressure headers. The
    /// default value is loopback and the private ranges.
    /// </summary>
    public IReadOnlyList<string> TrustedNetworks { get; init; } = ["127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"];

    /// <summary>Gets the caller usage (percent) above which module caches refuse writes. The default value is 80.</summary>
    public int BypassCacheWritesAbovePercent { get; init; } = 80;

    /// <summary>
    /// Gets the downstream usage (percent) above which a response counts, for downstream backoff, as a
    /// memory rejection even when it succeeded (as a 429 or 503 with <c>X-Memory-Usage</c> and
    /// <c>Retry-After</c> always does). The default value is 95.
    /// </summary>
    public int DownstreamBackoffAbovePercent { get; init; } = 95;

    /// <summary>
    /// Gets K of client-side adaptive throttling (<c>downstream_backoff_accepts_multiplier</c>): over the
    /// last 30 seconds of calls to one downstream authority, a call made outside a core request is refused
    /// locally with probability max(0, (requests − K × accepts) / (requests + 1)), at most 0.9. Nothing is
    /// refused while fewer than 1 in K of the recent calls were memory rejections; a lower K backs off
    /// sooner. From 1 to 10. The default value is 2.
    /// </summary>
    public double DownstreamBackoffAcceptsMultiplier { get; init; } = 2;
}
