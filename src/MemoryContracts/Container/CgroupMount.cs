namespace MemoryContracts;

/// <summary>
/// One cgroup mount from <c>/proc/&lt;pid&gt;/mountinfo</c>: <see cref="Root"/> is the directory of the
/// cgroup hierarchy that forms the root of the mount (field 4), <see cref="MountPoint"/> where it is
/// mounted (field 5).
/// </summary>
/// <param name="Version">v1 (<c>cgroup</c> with the <c>memory</c> super option) or v2 (<c>cgroup2</c>).</param>
/// <param name="Root">The hierarchy path mounted, e.g. <c>/</c> or <c>/docker/&lt;id&gt;</c>.</param>
/// <param name="MountPoint">Where it is mounted, e.g. <c>/sys/fs/cgroup/memory</c>.</param>
internal sealed record CgroupMount(CgroupVersion Version, string Root, string MountPoint);
