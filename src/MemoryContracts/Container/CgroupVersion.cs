namespace MemoryContracts;

/// <summary>Which cgroup hierarchy holds the process's memory controller.</summary>
internal enum CgroupVersion
{
    /// <summary>The legacy (v1) memory controller, e.g. <c>/sys/fs/cgroup/memory</c>; also on hybrid hosts.</summary>
    V1 = 1,

    /// <summary>The unified (v2) hierarchy, e.g. <c>/sys/fs/cgroup</c>.</summary>
    V2 = 2,
}
