namespace MemoryContracts.Tests.Backoff;

/// <summary>How one outbound call went.</summary>
internal enum CallResult
{
    /// <summary>A replica served it (200).</summary>
    Served,

    /// <summary>A replica shed it (429 with MemoryContracts' headers).</summary>
    ShedByDownstream,

    /// <summary>Downstream backoff refused it before it reached the network.</summary>
    RefusedLocally,
}
