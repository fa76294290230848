namespace MemoryContracts;

/// <summary>
/// A contract's <see cref="PropagationPolicy"/> made ready for the request path: networks and host
/// patterns parsed once. Immutable; replaced as a whole when the contract changes.
/// </summary>
internal sealed class CompiledPropagationPolicy
{
    private CompiledPropagationPolicy(MemoryContract contract, TrustedNetworks trustedNetworks, OutboundHostMatcher outboundHosts)
    {
        var policy = contract.Propagation;
        Outbound = policy.Outbound;
        ResponseHeaders = policy.ResponseHeaders;
        Orca = policy.Orca;
        BypassCacheWritesAbovePercent = policy.BypassCacheWritesAbovePercent;
        DownstreamBackoffAbovePercent = policy.DownstreamBackoffAbovePercent;
        DownstreamBackoffAcceptsMultiplier = policy.DownstreamBackoffAcceptsMultiplier;
        Enforce = contract.Mode == MemoryContractMode.Enforce;
        TrustedNetworks = trustedNetworks;
        OutboundHosts = outboundHosts;
    }

    /// <summary>Gets a value indicating whether outbound requests carry headers and downstreams are throttled.</summary>
    public bool Outbound { get; }

    /// <summary>Gets a value indicating whether responses to trusted callers carry <c>X-Memory-*</c>.</summary>
    public bool ResponseHeaders { get; }

    /// <summary>Gets a value indicating whether responses to trusted callers carry <c>endpoint-load-metrics</c>.</summary>
    public bool Orca { get; }

    /// <summary>Gets the caller usage above which this request's cache writes are skipped.</summary>
    public int BypassCacheWritesAbovePercent { get; }

    /// <summary>Gets the downstream usage above which a response counts as a memory rejection.</summary>
    public int DownstreamBackoffAbovePercent { get; }

    /// <summary>Gets K of adaptive throttling (refuse locally when requests exceed K × accepts).</summary>
    public double DownstreamBackoffAcceptsMultiplier { get; }

    /// <summary>Gets a value indicating whether the contract acts (<c>enforce</c>) rather than only observes (<c>shadow</c>).</summary>
    public bool Enforce { get; }

    /// <summary>Gets the callers trusted to send and receive pressure headers.</summary>
    public TrustedNetworks TrustedNetworks { get; }

    /// <summary>Gets the hosts outbound headers go to.</summary>
    public OutboundHostMatcher OutboundHosts { get; }

    /// <summary>Compiles a contract's propagation policy.</summary>
    /// <exception cref="MemoryContractException">A trusted network or outbound host pattern is invalid.</exception>
    public static CompiledPropagationPolicy Compile(MemoryContract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var policy = contract.Propagation;
        return new CompiledPropagationPolicy(contract, TrustedNetworks.Parse(policy.TrustedNetworks), OutboundHostMatcher.Create(policy.OutboundHosts));
    }
}
