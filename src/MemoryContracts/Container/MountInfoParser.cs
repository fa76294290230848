using System.Text;

namespace MemoryContracts;

/// <summary>
/// Finds the memory cgroup mounts in <c>/proc/&lt;pid&gt;/mountinfo</c> (see proc(5)):
/// <c>36 35 98:0 /root /mount/point rw,noatime master:1 - cgroup cgroup rw,memory</c>. Fields after
/// the mount point are optional up to the <c>-</c> separator; then come the file system type, the
/// source and the super options. Paths escape space, tab, newline and backslash as <c>\ooo</c>.
/// Runs once, at resolution: it may allocate.
/// </summary>
internal static class MountInfoParser
{
    /// <summary>The v1 mounts holding the memory controller and the v2 (<c>cgroup2</c>) mounts, in file order.</summary>
    /// <param name="mountInfo">The text of mountinfo.</param>
    /// <returns>The mounts; lines that are not cgroup mounts or are malformed are skipped.</returns>
    public static List<CgroupMount> Parse(string mountInfo)
    {
        var mounts = new List<CgroupMount>();
        foreach (var line in mountInfo.Split('\n'))
        {
            var separator = line.IndexOf(" - ", StringComparison.Ordinal);
            if (separator < 0)
            {
                continue;
            }

            var before = line[..separator].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var after = line[(separator + 3)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (before.Length < 5 || after.Length < 1)
            {
                continue;
            }

            CgroupVersion version;
            if (after[0] == "cgroup2")
            {
                version = CgroupVersion.V2;
            }
            else if (after[0] == "cgroup" && after.Length >= 3 && after[2].Split(',').Contains("memory", StringComparer.Ordinal))
            {
                version = CgroupVersion.V1;
            }
            else
            {
                continue;
            }

            mounts.Add(new CgroupMount(version, Unescape(before[3]), Unescape(before[4])));
        }

        return mounts;
    }

    /// <summary>Decodes the kernel's <c>\ooo</c> octal escapes (it escapes space, tab, newline and backslash).</summary>
    /// <param name="field">A mountinfo path field.</param>
    /// <returns>The path.</returns>
    internal static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var text = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length && IsOctal(field[i + 1]) && IsOctal(field[i + 2]) && IsOctal(field[i + 3]))
            {
                var code = ((field[i + 1] - '0') * 64) + ((field[i + 2] - '0') * 8) + (field[i + 3] - '0');
                if (code < 128)
                {
                    text.Append((char)code);
                    i += 3;
                    continue;
                }
            }

            text.Append(field[i]);
        }

        return text.ToString();
    }

    private static bool IsOctal(char c) => c is >= '0' and <= '7';
}
