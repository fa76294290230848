namespace MemoryContracts;

/// <summary>Whether the guard grades the container's working set (<c>container.enabled</c> in the contract file).</summary>
public enum ContainerMode
{
    /// <summary>Graded when a container memory limit is found (<c>auto</c>); the default.</summary>
    Auto,

    /// <summary>Graded whenever a limit is known: the cgroup's, or <c>container.limit_mb</c> (<c>true</c>).</summary>
    Enabled,

    /// <summary>Never graded; the figures are still reported (<c>false</c>).</summary>
    Disabled,
}
