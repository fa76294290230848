using System.Globalization;
using System.Text;
using CsCheck;

namespace MemoryContracts.Tests.Fuzzing;

/// <summary>
/// Contract inputs: mutations of the real contracts (<see cref="ContractCorpus"/>), random text,
/// deep and wide shapes (nesting, many keys, many modules, alias bombs), and generated contracts of
/// known keys with random values.
/// </summary>
internal static class ContractGenerators
{
    /// <summary>Keys of every section, right and nearly right (a typo, another case, a look-alike letter).</summary>
    private static readonly string[] Keys =
    [
        "version", "mode", "strict_endpoints", "sampling", "interval_ms", "modules", "name", "max_heap_mb", "max_heap_percent",
        "alloc_rate_mb_per_sec", "gc_trigger_ratio", "required_gc_pauses_ms", "core", "priority", "routes", "escalation", "heap",
        "alloc_rate", "gc_pause", "working_set", "consecutive", "recovery_samples", "elevated", "high", "critical", "responses",
        "trim_fraction", "shed", "retry_after_seconds", "scaled", "exempt_paths", "compact_gc", "min_interval_seconds", "snapshot",
        "directory", "quiet_logs", "categories", "level", "dump", "max_files", "timeout_seconds", "propagation", "outbound",
        "outbound_hosts", "response_headers", "orca", "trusted_networks", "bypass_cache_writes_above_percent",
        "downstream_backoff_above_percent", "downstream_backoff_accepts_multiplier", "health", "unready_at", "leak_detection",
        "enabled", "full_gcs", "min_growth_mb", "container", "limit_mb",
        "max_heap_MB", "Modules", "modules\u200B", "m\u043Edules", "max-heap-mb", "maxheapmb", "<<", "? complex", "\"name\"", "'core'",
    ];

    /// <summary>Values a reader must judge: numbers at the edges, sizes with units, odd Unicode, YAML's other forms.</summary>
    public static readonly Gen<string> OddValue = Gen.OneOf(
        FuzzText.OddNumber,
        Gen.OneOf(
            "true", "false", "True", "TRUE", "yes", "no", "on", "off", "y", "null", "Null", "~", "", "\"\"", "''", "auto", "AUTO",
            "enforce", "shadow", "Shadow", "critical", "high", "never", "Warning", "warning", "None", "Trace",
            "\"<5\"", "\"<\"", "\"<abc\"", "\"<=5\"", "\"< 99999999999999\"", "\"<1e3\"", "\"<0.5\"", "\"<\u00A05\"", "\"<\uFF15\"",
            "[]", "{}", "[[]]", "[a, [b, [c]]]", "{a: 1}", "[1, 2", "{a: 1", "[/a, /a]", "[\"/x\", \"/x/\"]", "[\"/\"]", "[\"\"]",
            "*x", "&x 5", "&x [1]", "*undefined", "!!int 5", "!!str 5", "!custom x", "!<tag:yaml.org,2002:str> x",
            "|\n  block", ">\n  folded", "|-\n", "\"\\u0000\"", "\"\\uD800\"", "\"\\uDE00\\uD83D\"", "\"\\uD800\\u0041\"", "\"\\UFFFFFFFF\"", "\"\\U0010FFFF\"", "\"\\x85\"", "\"\\N\"", "\"\\e\"", "'it''s'", "\"a\\\"b\"",
            "\"10.0.0.0/8\"", "10.0.0.1/8", "::1/129", "fc00::/7", "0.0.0.0/0", "*.svc", "*.", "*..x", "x..y", "[fe80::1%eth0]",
            "%TAG ! tag:x,2000:", "--- ", "...", "? x", ": x", "- x", "# only a comment", "@reserved", "`reserved"),
        FuzzText.Mixed(40),
        Gen.Int[4090, 4100].Select(n => new string('x', n)));

    /// <summary>A real contract with one to six mutations applied.</summary>
    public static readonly Gen<string> Mutated =
        Gen.Select(Gen.Int[0, ContractCorpus.Seeds.Count - 1], Mutation.Gen.Array[1, 6])
            .Select((seed, mutations) => mutations.Aggregate(ContractCorpus.Seeds[seed], (text, mutation) => mutation.Apply(text)));

    /// <summary>Random text: mixed characters, random bytes read as UTF-8 (invalid sequences become U+FFFD) or Latin-1.</summary>
    public static readonly Gen<string> RandomText = Gen.OneOf(
        FuzzText.Mixed(600),
        Gen.Byte.Array[0, 600].Select(bytes => Encoding.UTF8.GetString(bytes)),
        Gen.Byte.Array[0, 600].Select(bytes => Encoding.Latin1.GetString(bytes)),
        Gen.Select(Gen.Int[0, 40], FuzzText.Mixed(30).Array[0, 30]).Select((_, lines) => string.Join('\n', lines)));

    /// <summary>Deep and wide shapes: nesting past the depth limit, thousands of keys or modules, alias bombs, many documents, long scalars.</summary>
    public static readonly Gen<string> Shapes = Gen.OneOf(
        Gen.Select(Sized(200), Gen.Int[0, 3]).Select(Nested),
        Gen.Select(Sized(6_000), Gen.Bool).Select(WideMapping),
        Sized(1_500).Select(ManyModules),
        Sized(12_000).Select(ManyRoutes),
        Gen.Select(Gen.Int[1, 12], Gen.Int[1, 12], Gen.Bool).Select(AliasBomb),
        Sized(2_000).Select(n => string.Concat(Enumerable.Repeat("---\nmodules: [{name: a}]\n", n))),
        Gen.Select(Gen.Int[4_000, 4_200], Gen.Bool).Select((n, key) => key ? $"{new string('k', n)}: 1\n" : $"version: {new string('v', n)}\n"),
        Sized(3_000).Select(n => string.Concat(Enumerable.Repeat("# comment \u202E\u0301\n", n)) + ContractCorpus.Seeds[0]),
        Sized(400).Select(n => "modules:\n" + string.Concat(Enumerable.Range(0, n).Select(i => $"  - &m{i} {{name: m{i}}}\n")) + string.Concat(Enumerable.Range(0, n).Select(i => $"  - *m{i}\n"))));

    /// <summary>Contracts written from known keys with values drawn from good ones and <see cref="OddValue"/>.</summary>
    public static readonly Gen<string> Generated =
        Gen.Select(GeneratedModule.Array[1, 6], Gen.Select(Gen.OneOf(Keys), GeneratedValue).Array[0, 2])
            .Select((modules, extra) =>
            {
                var text = new StringBuilder("modules:\n");
                foreach (var module in modules)
                {
                    text.Append(module);
                }

                foreach (var (key, value) in extra.Select(e => (e.Item1, e.Item2)))
                {
                    text.Append(key).Append(": ").Append(value).Append('\n');
                }

                return text.ToString();
            });

    /// <summary>A size from 1 to <paramref name="max"/>, as often small as large (log-uniform): the large ones cost the most.</summary>
    private static Gen<int> Sized(int max) =>
        Gen.Int[0, (int)Math.Ceiling(Math.Log2(max))].SelectMany(bits => Gen.Int[1, Math.Min(max, 1 << bits)]);

    private static Gen<string> GoodNumber => Gen.OneOf(
        Gen.Int[1, 5000].Select(n => n.ToString(CultureInfo.InvariantCulture)),
        Gen.Double[0.01, 1].Select(d => d.ToString("R", CultureInfo.InvariantCulture)));

    private static Gen<string> GeneratedValue => Gen.Frequency((3, GoodNumber), (1, OddValue), (1, Gen.OneOf("{elevated: 0.5, high: 0.7, critical: 0.9}", "{elevated: 1, high: 2, critical: 3}", "[alert, trim_caches]")));

    private static Gen<string> GeneratedModule =>
        Gen.Select(
            Gen.Frequency((20, Gen.String[Gen.Char["abcxyz019._-"], 1, 12]), (1, OddValue)),
            Gen.Select(Gen.OneOf("max_heap_mb", "max_heap_percent", "alloc_rate_mb_per_sec", "gc_trigger_ratio", "required_gc_pauses_ms", "core", "priority", "routes"),
                Gen.Frequency((12, GoodNumber), (1, OddValue), (3, Gen.OneOf("true", "false", "\"<10\"", "[\"/a\"]", "[\"/b\", \"/c/\"]")))).Array[0, 4])
        .Select((name, fields) =>
        {
            var text = new StringBuilder("  - name: ").Append(name).Append('\n');
            foreach (var (key, value) in fields.Select(f => (f.Item1, f.Item2)))
            {
                text.Append("    ").Append(key).Append(": ").Append(value.Replace("\n", "\n      ", StringComparison.Ordinal)).Append('\n');
            }

            return text.ToString();
        });

    private static string Nested(int depth, int style) => style switch
    {
        0 => "modules: " + new string('[', depth) + new string(']', depth),
        1 => "modules:\n  - name: a\nx: " + string.Concat(Enumerable.Repeat("{a: ", depth)) + "1" + new string('}', depth),
        2 => string.Concat(Enumerable.Range(0, depth).Select(i => new string(' ', i * 2) + "k:\n")) + new string(' ', depth * 2) + "v",
        _ => "modules:\n" + string.Concat(Enumerable.Range(0, depth).Select(i => new string(' ', (i * 2) + 2) + "-\n")),
    };

    private static string WideMapping(int keys, bool known)
    {
        var text = new StringBuilder(known ? "modules: [{name: a}]\n" : string.Empty);
        for (var i = 0; i < keys; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"k{i}: {i}\n");
        }

        return text.ToString();
    }

    private static string ManyModules(int count)
    {
        var text = new StringBuilder("modules:\n");
        for (var i = 0; i < count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"  - {{name: m{i}, max_heap_mb: {i + 1}, routes: [\"/m{i}\"]}}\n");
        }

        return text.ToString();
    }

    private static string ManyRoutes(int count) =>
        "modules:\n  - name: a\n    routes: [" + string.Join(", ", Enumerable.Range(0, count).Select(i => string.Create(CultureInfo.InvariantCulture, $"\"/r{i}\""))) + "]\n";

    private static string AliasBomb(int fanout, int depth, bool asModules)
    {
        var text = new StringBuilder("a0: &a0 [\"lol\"]\n");
        for (var i = 1; i <= depth; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"a{i}: &a{i} [").AppendJoin(", ", Enumerable.Repeat($"*a{i - 1}", fanout)).Append("]\n");
        }

        return asModules ? "modules:\n  - name: x\n    routes: *a" + depth.ToString(CultureInfo.InvariantCulture) + "\n" + text.ToString().Replace("\n", "\n#", StringComparison.Ordinal) : text.ToString();
    }

    /// <summary>One edit of a contract's text.</summary>
    internal sealed record Mutation(int Kind, int At, int Length, string Payload)
    {
        public static readonly Gen<Mutation> Gen = CsCheck.Gen.Select(
                CsCheck.Gen.Int[0, 11], CsCheck.Gen.Int[0, int.MaxValue], CsCheck.Gen.Int[0, 40],
                CsCheck.Gen.Frequency((3, OddValue), (2, FuzzText.Mixed(12)), (1, CsCheck.Gen.OneOf(Keys)), (1, FuzzText.OddChar.Select(c => c.ToString()))))
            .Select((kind, at, length, payload) => new Mutation(kind, at, length, payload));

        public string Apply(string text)
        {
            var at = text.Length == 0 ? 0 : At % (text.Length + 1);
            var lines = text.Split('\n');
            var line = At % lines.Length;
            switch (Kind)
            {
                case 0:
                    return text.Insert(at, Payload);
                case 1:
                    return text.Remove(at, Math.Min(Length, text.Length - at));
                case 2:
                    return text[..at];
                case 3:
                    // Replace the value of a "key: value" line.
                    var colon = lines[line].IndexOf(": ", StringComparison.Ordinal);
                    if (colon >= 0)
                    {
                        lines[line] = lines[line][..(colon + 2)] + Payload;
                    }

                    return string.Join('\n', lines);
                case 4:
                    // Replace a key.
                    var keyEnd = lines[line].IndexOf(':', StringComparison.Ordinal);
                    var keyStart = lines[line].Length - lines[line].TrimStart(' ', '-').Length;
                    if (keyEnd > keyStart)
                    {
                        lines[line] = lines[line][..keyStart] + Payload + lines[line][keyEnd..];
                    }

                    return string.Join('\n', lines);
                case 5:
                    return string.Join('\n', lines.Take(line + 1).Append(lines[line]).Concat(lines.Skip(line + 1)));
                case 6:
                    return string.Join('\n', lines.Where((_, i) => i != line));
                case 7:
                    var other = Length % lines.Length;
                    (lines[line], lines[other]) = (lines[other], lines[line]);
                    return string.Join('\n', lines);
                case 8:
                    lines[line] = (Length % 3) switch
                    {
                        0 => new string(' ', Length % 7) + lines[line],
                        1 => "\t" + lines[line],
                        _ => lines[line].TrimStart(),
                    };
                    return string.Join('\n', lines);
                case 9:
                    return text.Length == 0 ? Payload : text.Remove(at == text.Length ? at - 1 : at, 1).Insert(at == text.Length ? at - 1 : at, ((char)(text[at == text.Length ? at - 1 : at] + (Length - 20))).ToString());
                case 10:
                    return FuzzText.OddCharacters[Length % FuzzText.OddCharacters.Length] + text;
                default:
                    return text.Replace("\n", (Length % 3) switch { 0 => "\r\n", 1 => "\r", _ => "\u2028" }, StringComparison.Ordinal);
            }
        }
    }
}
