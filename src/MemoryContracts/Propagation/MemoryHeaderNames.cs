namespace MemoryContracts;

/// <summary>The names of the headers exchanged between services (DESIGN §6).</summary>
internal static class MemoryHeaderNames
{
    /// <summary>The sender's process heap against its budget, in integer percent (<c>68%</c>).</summary>
    public const string Usage = "X-Memory-Usage";

    /// <summary>The sender's process budget in MB.</summary>
    public const string Capacity = "X-Memory-Capacity";

    /// <summary>The version of the sender's contract.</summary>
    public const string Contract = "X-Memory-Contract";

    /// <summary>The ORCA load report read by Envoy and gRPC weighted-round-robin balancers.</summary>
    public const string EndpointLoadMetrics = "endpoint-load-metrics";

    /// <summary>The standard header a shedding downstream uses to say when to come back.</summary>
    public const string RetryAfter = "Retry-After";
}
