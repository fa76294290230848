namespace MemoryContracts;

/// <summary>
/// Finds the memory cgroup of a process the way the .NET runtime does (its <c>cgroup.cpp</c>):
/// the process's cgroup path from <c>/proc/&lt;pid&gt;/cgroup</c>, joined to the mount of that hierarchy
/// from <c>/proc/&lt;pid&gt;/mountinfo</c> after removing the mount's root from its start. The v1
/// memory controller wins when it is mounted (legacy and hybrid hosts: a controller lives in one
/// hierarchy only, so a unified mount beside it has no memory files); else the v2 hierarchy.
/// Under a cgroup namespace the path is <c>/</c> and the mount's root is <c>/</c>: the cgroup is the
/// mount point itself. Runs once (and on re-resolution): it may allocate, and never throws.
/// </summary>
internal static class CgroupLocator
{
    /// <summary>Locates the memory cgroup.</summary>
    /// <param name="rootPath">The file system root the <c>/proc</c> and <c>/sys</c> paths are under: <c>/</c>, or a fixture tree in tests.</param>
    /// <param name="process"><c>self</c>, or a process id, naming the <c>/proc</c> entry read.</param>
    /// <param name="problem">Why nothing was found; null when a location is returned.</param>
    /// <returns>The location, or null.</returns>
    public static CgroupLocation? Locate(string rootPath, string process, out string? problem)
    {
        if (!OperatingSystem.IsLinux() && rootPath == "/")
        {
            problem = "cgroups exist only on Linux";
            return null;
        }

        var cgroupFile = Under(rootPath, $"/proc/{process}/cgroup");
        var mountInfoFile = Under(rootPath, $"/proc/{process}/mountinfo");
        if (!TryReadText(cgroupFile, out var cgroupText, out problem) || !TryReadText(mountInfoFile, out var mountText, out problem))
        {
            return null;
        }

        var (v1Path, v2Path) = ParseProcCgroup(cgroupText);
        var mounts = MountInfoParser.Parse(mountText);

        if (v1Path is not null && FindMount(mounts, CgroupVersion.V1, v1Path) is { } v1Mount)
        {
            return Build(rootPath, CgroupVersion.V1, v1Mount, v1Path, ["memory.usage_in_bytes", "memory.stat"], out problem);
        }

        if (v2Path is not null && FindMount(mounts, CgroupVersion.V2, v2Path) is { } v2Mount)
        {
            return Build(rootPath, CgroupVersion.V2, v2Mount, v2Path, ["memory.current", "memory.stat"], out problem);
        }

        problem = (v1Path, v2Path) switch
        {
            (null, null) => $"{cgroupFile} names neither a v1 memory cgroup nor a v2 cgroup",
            (_, null) => $"{mountInfoFile} has no cgroup (v1) mount with the memory controller",
            (null, _) => $"{mountInfoFile} has no cgroup2 mount",
            _ => $"{mountInfoFile} has neither a cgroup (v1) mount with the memory controller nor a cgroup2 mount",
        };
        return null;
    }

    /// <summary>The cgroup path of the v1 memory controller line and of the v2 (<c>0::</c>) line.</summary>
    /// <param name="text">The text of <c>/proc/&lt;pid&gt;/cgroup</c>: <c>hierarchy-id:controllers:path</c> lines.</param>
    /// <returns>Each path, or null when its line is absent.</returns>
    internal static (string? V1Memory, string? V2) ParseProcCgroup(string text)
    {
        string? v1 = null;
        string? v2 = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var first = line.IndexOf(':', StringComparison.Ordinal);
            var second = first < 0 ? -1 : line.IndexOf(':', first + 1);
            if (second < 0)
            {
                continue;
            }

            var id = line[..first];
            var controllers = line[(first + 1)..second];
            var path = line[(second + 1)..];
            if (path.Length == 0 || path[0] != '/')
            {
                continue;
            }

            if (id == "0" && controllers.Length == 0)
            {
                v2 ??= path;
            }
            else if (controllers.Split(',').Contains("memory", StringComparer.Ordinal))
            {
                v1 ??= path;
            }
        }

        return (v1, v2);
    }

    /// <summary>
    /// The mount of <paramref name="version"/> that holds <paramref name="cgroupPath"/>: the one whose
    /// root is the longest prefix of the path (at a <c>/</c> boundary); else the first of that version,
    /// as the runtime does (the path is then appended whole).
    /// </summary>
    internal static CgroupMount? FindMount(IReadOnlyList<CgroupMount> mounts, CgroupVersion version, string cgroupPath)
    {
        CgroupMount? best = null;
        CgroupMount? first = null;
        foreach (var mount in mounts)
        {
            if (mount.Version != version)
            {
                continue;
            }

            first ??= mount;
            if (IsPrefix(mount.Root, cgroupPath) && (best is null || mount.Root.Length > best.Root.Length))
            {
                best = mount;
            }
        }

        return best ?? first;
    }

    /// <summary>The cgroup path relative to the mount: the mount's root removed from its start when it is a prefix.</summary>
    internal static string RelativeToMount(string mountRoot, string cgroupPath)
    {
        if (mountRoot == "/" || !IsPrefix(mountRoot, cgroupPath))
        {
            return cgroupPath == "/" ? string.Empty : cgroupPath.TrimEnd('/');
        }

        return cgroupPath[mountRoot.TrimEnd('/').Length..].TrimEnd('/');
    }

    private static CgroupLocation? Build(string rootPath, CgroupVersion version, CgroupMount mount, string cgroupPath, string[] required, out string? problem)
    {
        var relative = RelativeToMount(mount.Root, cgroupPath);
        if (relative.Split('/').Any(segment => segment is ".." or "."))
        {
            // A cgroup outside this mount (a process moved out of its cgroup namespace's root).
            problem = $"the process's cgroup {cgroupPath} lies outside the {mount.MountPoint} mount (root {mount.Root})";
            return null;
        }

        var mountDirectory = Under(rootPath, mount.MountPoint).TrimEnd('/');
        if (mountDirectory.Length == 0)
        {
            mountDirectory = "/";
        }

        var directory = relative.Length == 0 ? mountDirectory : mountDirectory.TrimEnd('/') + relative;
        foreach (var file in required)
        {
            var path = Path.Join(directory, file);
            if (!File.Exists(path))
            {
                problem = version == CgroupVersion.V2
                    ? $"{path} does not exist: the memory controller is not enabled for this cgroup, or it is the root cgroup (no container limit)"
                    : $"{path} does not exist";
                return null;
            }
        }

        var limitDirectories = new List<string> { directory };
        if (version == CgroupVersion.V2)
        {
            var parent = relative;
            while (parent.Length > 0)
            {
                parent = parent[..parent.LastIndexOf('/')];
                limitDirectories.Add(parent.Length == 0 ? mountDirectory : mountDirectory.TrimEnd('/') + parent);
            }
        }

        problem = null;
        return new CgroupLocation(version, directory, limitDirectories);
    }

    private static bool IsPrefix(string root, string path)
    {
        if (root == "/")
        {
            return true;
        }

        var trimmed = root.TrimEnd('/');
        return path.StartsWith(trimmed, StringComparison.Ordinal) && (path.Length == trimmed.Length || path[trimmed.Length] == '/');
    }

    private static string Under(string rootPath, string absolute) =>
        rootPath == "/" ? absolute : Path.Join(rootPath, absolute);

    private static bool TryReadText(string path, out string text, out string? problem)
    {
        try
        {
            text = File.ReadAllText(path);
            problem = null;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or System.Security.SecurityException)
        {
            text = string.Empty;
            problem = $"{path} could not be read ({e.GetType().Name}: {e.Message})";
            return false;
        }
    }
}
