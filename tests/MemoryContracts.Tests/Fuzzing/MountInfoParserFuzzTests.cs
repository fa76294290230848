using CsCheck;
using Xunit.Abstractions;

namespace MemoryContracts.Tests.Fuzzing;

/// <summary>
/// <see cref="MountInfoParser"/> under any mountinfo text: a well-formed cgroup line reads back as its
/// mount (paths with the kernel's <c>\ooo</c> escapes decoded), other lines are skipped, nothing throws,
/// no text takes more than <see cref="Bound"/>.
/// </summary>
public sealed class MountInfoParserFuzzTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromMilliseconds(5);

    /// <summary>An absolute path (the kernel writes both path fields absolute, so a field is never a lone '-').</summary>
    private static readonly Gen<string> Path = Gen.String[Gen.Char["abc/-_. \t\\\u00E9"], 0, 20].Select(path => "/" + path);

    private static readonly Gen<(string Line, CgroupMount? Mount)> Line = Gen.Frequency(
        (3, Gen.Select(Gen.OneOf("cgroup2 cgroup2 rw", "cgroup cgroup rw,memory", "cgroup cgroup rw,nosuid,memory,hugetlb"), Path, Path, Gen.OneOf("", " shared:5", " master:1 propagate_from:2")).Select((fs, root, point, optional) =>
        {
            var version = fs.StartsWith("cgroup2", StringComparison.Ordinal) ? CgroupVersion.V2 : CgroupVersion.V1;
            return ($"36 35 98:0 {Escape(root)} {Escape(point)} rw,noatime{optional} - {fs}", (CgroupMount?)new CgroupMount(version, root, point));
        })),
        (1, Gen.OneOf("36 35 98:0 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu", "25 1 0:22 / /proc rw - proc proc rw", "1 2 3 4 - cgroup2", " - ", "").Select(l => (l, (CgroupMount?)null))),
        (1, HeaderGenerators.Garbage.Select(g => (g, (CgroupMount?)null))));

    [Fact]
    public void Parse_AnyText_ReadsEveryWellFormedCgroupLineAndSkipsTheRest()
    {
        FuzzRunner.Run(
            output, "cgroup mountinfo", FuzzSettings.Inputs(20_000), Line.Array[0, 12],
            lines => MountInfoParser.Parse(string.Join('\n', lines.Select(l => l.Line))),
            (lines, outcome) =>
            {
                var mounts = outcome.Value!;
                var expected = lines.Where(l => l.Mount is not null).Select(l => l.Mount!).ToArray();
                if (lines.All(l => l.Mount is not null || l.Line.Length == 0 || !l.Line.Contains(" - ", StringComparison.Ordinal)))
                {
                    Assert.Equal(expected, mounts);
                }

                Assert.All(mounts, m => Assert.True(m.Version is CgroupVersion.V1 or CgroupVersion.V2));
                return mounts.Count == 0 ? "none" : "mounts";
            },
            Bound,
            l => FuzzRunner.Show(string.Join('\n', l.Select(x => x.Line))));
    }

    /// <summary>The kernel's escapes of space, tab, newline and backslash.</summary>
    private static string Escape(string path) =>
        path.Replace("\\", "\\134", StringComparison.Ordinal).Replace(" ", "\\040", StringComparison.Ordinal).Replace("\t", "\\011", StringComparison.Ordinal);
}
