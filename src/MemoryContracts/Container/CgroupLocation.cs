namespace MemoryContracts;

/// <summary>Where the process's memory cgroup is, resolved once by <see cref="CgroupLocator"/>.</summary>
/// <param name="Version">The hierarchy holding the memory controller.</param>
/// <param name="Directory">The process's cgroup directory, e.g. <c>/sys/fs/cgroup/memory/docker/&lt;id&gt;</c>.</param>
/// <param name="LimitDirectories">
/// v2: the process's cgroup and each parent up to the root of the mount, whose <c>memory.max</c>
/// bound it (the tightest wins). v1: the process's cgroup only (<c>hierarchical_memory_limit</c>
/// already covers the parents).
/// </param>
internal sealed record CgroupLocation(CgroupVersion Version, string Directory, IReadOnlyList<string> LimitDirectories);
