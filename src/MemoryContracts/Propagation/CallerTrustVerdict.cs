namespace MemoryContracts;

/// <summary>What <see cref="CallerTrust"/> decided about a request.</summary>
internal enum CallerTrustVerdict
{
    /// <summary>The connection does not come from <c>propagation.trusted_networks</c> (or has no address).</summary>
    Untrusted,

    /// <summary>The connection comes from a trusted address, and so does everyone it was relayed for.</summary>
    Trusted,

    /// <summary>The connection comes from a trusted proxy, whose forwarding headers name an outsider or do not parse.</summary>
    RelayedForOutsider,
}
