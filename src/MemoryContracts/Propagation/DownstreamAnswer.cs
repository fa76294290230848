namespace MemoryContracts;

/// <summary>What a downstream's response tells adaptive throttling.</summary>
internal enum DownstreamAnswer
{
    /// <summary>The downstream served the call (any response that is not a memory rejection).</summary>
    Accepted,

    /// <summary>A memory rejection: 429/503 with <c>X-Memory-Usage</c> and <c>Retry-After</c>, or usage above the backoff threshold.</summary>
    Rejected,

    /// <summary>Another authority answered (a primary handler followed a redirect): credited to no one.</summary>
    NotFromThisAuthority,
}
