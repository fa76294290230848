using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace MemoryContracts.Tests.Docs;

/// <summary>
/// docs/contract.md documents exactly the keys the reader accepts (its known-key tables), and the
/// defaults it gives are the ones a contract without those keys gets.
/// </summary>
public sealed partial class ContractKeyDocsTests
{
    private static readonly MarkdownFile Doc = MarkdownFile.Load("docs/contract.md");

    /// <summary>How a key's documented default is checked: what a contract with only a module reads for it.</summary>
    private static readonly Dictionary<string, Func<MemoryContract, object>> Defaults = new(StringComparer.Ordinal)
    {
        ["version"] = c => c.Version,
        ["mode"] = c => c.Mode.ToString().ToLowerInvariant(),
        ["strict_endpoints"] = c => Bool(c.StrictEndpoints),
        ["sampling.interval_ms"] = c => Number(c.SamplingInterval.TotalMilliseconds),
        ["container.enabled"] = c => c.Container.Enabled == ContainerMode.Auto ? "auto" : Bool(c.Container.Enabled == ContainerMode.Enabled),
        ["container.limit_mb"] = c => c.Container.LimitBytes is { } limit ? Number(limit / 1048576.0) : "null",
        ["leak_detection.enabled"] = c => Bool(c.LeakDetection.Enabled),
        ["leak_detection.full_gcs"] = c => Number(c.LeakDetection.FullGcs),
        ["leak_detection.min_growth_mb"] = c => Number(c.LeakDetection.MinGrowthBytes / 1048576.0),
        ["health.unready_at"] = c => c.Health.UnreadyAt?.ToString().ToLowerInvariant() ?? "never",
        ["escalation.heap"] = c => Ratios(c.Escalation.Heap),
        ["escalation.alloc_rate"] = c => Ratios(c.Escalation.AllocRate),
        ["escalation.gc_pause"] = c => Ratios(c.Escalation.GcPause),
        ["escalation.working_set"] = c => Ratios(c.Escalation.WorkingSet),
        ["escalation.consecutive"] = c => new[] { (double)c.Escalation.Consecutive.Elevated, c.Escalation.Consecutive.High, c.Escalation.Consecutive.Critical },
        ["escalation.recovery_samples"] = c => Number(c.Escalation.RecoverySamples),
        ["responses.elevated"] = c => List(c.Responses.Elevated),
        ["responses.high"] = c => List(c.Responses.High),
        ["responses.critical"] = c => List(c.Responses.Critical),
        ["responses.trim_fraction"] = c => Ratios(c.Responses.TrimFraction),
        ["responses.timeout_seconds"] = c => Number(c.Responses.Timeout.TotalSeconds),
        ["responses.shed.retry_after_seconds"] = c => Number(c.Responses.Shed.RetryAfterSeconds),
        ["responses.shed.scaled"] = c => Bool(c.Responses.Shed.Scaled),
        ["responses.shed.exempt_paths"] = c => List(c.Responses.Shed.ExemptPaths),
        ["responses.compact_gc.min_interval_seconds"] = c => Number(c.Responses.CompactGc.MinInterval.TotalSeconds),
        ["responses.snapshot.directory"] = c => c.Responses.Snapshot.Directory ?? "null",
        ["responses.snapshot.min_interval_seconds"] = c => Number(c.Responses.Snapshot.MinInterval.TotalSeconds),
        ["responses.quiet_logs.categories"] = c => List(c.Responses.QuietLogs.Categories),
        ["responses.quiet_logs.level"] = c => c.Responses.QuietLogs.Level.ToString(),
        ["responses.dump.directory"] = c => c.Responses.Dump.Directory ?? "null",
        ["responses.dump.min_interval_seconds"] = c => Number(c.Responses.Dump.MinInterval.TotalSeconds),
        ["responses.dump.max_files"] = c => Number(c.Responses.Dump.MaxFiles),
        ["propagation.outbound"] = c => Bool(c.Propagation.Outbound),
        ["propagation.outbound_hosts"] = c => List(c.Propagation.OutboundHosts),
        ["propagation.response_headers"] = c => Bool(c.Propagation.ResponseHeaders),
        ["propagation.orca"] = c => Bool(c.Propagation.Orca),
        ["propagation.trusted_networks"] = c => List(c.Propagation.TrustedNetworks),
        ["propagation.bypass_cache_writes_above_percent"] = c => Number(c.Propagation.BypassCacheWritesAbovePercent),
        ["propagation.downstream_backoff_above_percent"] = c => Number(c.Propagation.DownstreamBackoffAbovePercent),
        ["propagation.downstream_backoff_accepts_multiplier"] = c => Number(c.Propagation.DownstreamBackoffAcceptsMultiplier),
    };

    [Fact]
    public void ContractDoc_DocumentsEveryKeyTheReaderAccepts_AndNoOther()
    {
        var accepted = AcceptedKeys();
        var documented = DocumentedKeys().Select(r => r.Name).ToList();

        Assert.Empty(accepted.Except(documented, StringComparer.Ordinal));
        Assert.Empty(documented.Except(accepted, StringComparer.Ordinal));
        Assert.Equal(documented.Count, documented.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void ContractDoc_DefaultsOutsideModules_AreWhatAContractWithoutThoseKeysReads()
    {
        var contract = MemoryContract.Parse("modules:\n  - name: app\n");
        var rows = DocumentedKeys().Where(r => !r.Name.StartsWith("modules", StringComparison.Ordinal)).ToList();

        Assert.All(rows, row =>
        {
            Assert.True(Defaults.ContainsKey(row.Name), $"docs/contract.md:{row.Line}: no default check for '{row.Name}' in {nameof(ContractKeyDocsTests)}");
            var documented = MarkdownFile.FirstBacktickedSpan(row.Cells[2]);
            Assert.True(documented is not null, $"docs/contract.md:{row.Line}: the default of '{row.Name}' is not in backticks");
            var expected = Defaults[row.Name](contract);
            if (expected is double[] numbers)
            {
                var found = NumberPattern().Matches(documented).Select(m => double.Parse(m.Value, CultureInfo.InvariantCulture)).ToArray();
                Assert.True(numbers.SequenceEqual(found), $"docs/contract.md:{row.Line}: '{row.Name}' documents `{documented}`, the reader's default is {string.Join(", ", numbers)}");
            }
            else
            {
                Assert.True(Squeeze((string)expected) == Squeeze(documented), $"docs/contract.md:{row.Line}: '{row.Name}' documents `{documented}`, the reader's default is `{expected}`");
            }
        });
        Assert.Empty(Defaults.Keys.Except(rows.Select(r => r.Name), StringComparer.Ordinal));
    }

    [Fact]
    public void ContractDoc_ModuleKeysWithoutABudget_SayWhatTheAbsenceMeans()
    {
        var modules = DocumentedKeys().Where(r => r.Name.StartsWith("modules[].", StringComparison.Ordinal)).ToList();
        var module = MemoryContract.Parse("modules:\n  - name: app\n").Modules[0];

        Assert.NotEmpty(modules);
        Assert.Equal("false", MarkdownFile.FirstBacktickedSpan(modules.Single(r => r.Name == "modules[].core").Cells[2]));
        Assert.Equal(Number(module.Priority), MarkdownFile.FirstBacktickedSpan(modules.Single(r => r.Name == "modules[].priority").Cells[2]));
        Assert.Null(module.MaxHeapBytes);
        Assert.Null(module.AllocRateBytesPerSecond);
        Assert.Null(module.MaxGcPause);
        Assert.All(
            modules.Where(r => r.Name is "modules[].max_heap_mb" or "modules[].max_heap_percent" or "modules[].alloc_rate_mb_per_sec" or "modules[].required_gc_pauses_ms"),
            r => Assert.Contains("not graded", r.Cells[2], StringComparison.Ordinal));
    }

    [Fact]
    public void ContractDoc_NamesEveryBuiltInResponder()
    {
        Assert.All(BuiltInResponders.All, name => Assert.Contains($"`{name}`", Doc.Text, StringComparison.Ordinal));
    }

    /// <summary>The dotted keys the reader accepts, from its known-key tables (<c>MemoryContractReader.Sections</c>).</summary>
    internal static List<string> AcceptedKeys()
    {
        var field = typeof(MemoryContractReader).GetField("Sections", BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new InvalidOperationException("MemoryContractReader.Sections is gone: update this test to the reader's known-key tables");
        var sections = ((string Section, string[] Keys)[])field.GetValue(null)!;
        var prefixes = sections.Select(s => (Path: SectionPath(s.Section), s.Keys)).ToList();
        var sectionPaths = new HashSet<string>(prefixes.Select(p => p.Path), StringComparer.Ordinal);
        return [.. prefixes
            .SelectMany(p => p.Keys.Select(k => p.Path.Length == 0 ? k : p.Path + "." + k))
            .Where(k => !sectionPaths.Contains(k))];
    }

    private static string SectionPath(string section) => section switch
    {
        "the top level" => string.Empty,
        "a module (modules[])" => "modules[]",
        _ => section,
    };

    private static List<(string Name, string[] Cells, int Line)> DocumentedKeys() => [.. Doc.TableRows("key")];

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static double[] Ratios(LevelRatios ratios) => [ratios.Elevated, ratios.High, ratios.Critical];

    private static string List(IReadOnlyList<string> values) => "[" + string.Join(", ", values) + "]";

    private static string Squeeze(string text) => text.Replace(" ", string.Empty, StringComparison.Ordinal).Replace("\"", string.Empty, StringComparison.Ordinal);

    [GeneratedRegex(@"\d+(\.\d+)?")]
    private static partial Regex NumberPattern();
}

/// <summary>Every YAML block of the manual that is a contract, or a piece of one, is accepted by the reader.</summary>
public sealed partial class ContractYamlDocsTests
{
    public static TheoryData<string> ContractBlocks()
    {
        var data = new TheoryData<string>();
        foreach (var block in Blocks())
        {
            data.Add(block.ToString());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ContractBlocks))]
    public void Parse_ContractYamlOfTheManual_IsAccepted(string block)
    {
        var yaml = Blocks().Single(b => b.ToString() == block).Code;
        if (!RootKey().Matches(yaml).Any(m => m.Groups[1].Value == "modules"))
        {
            yaml += "\nmodules:\n  - name: docs\n";                // a piece of a contract: give it the one required key
        }

        var error = Record.Exception(() => MemoryContract.Parse(yaml));

        Assert.True(error is null, $"{block}: {error?.Message}");
    }

    [Fact]
    public void Manual_ContractYamlBlocks_AreFound()
    {
        Assert.True(Blocks().Count() >= 8, "fewer contract YAML blocks than expected: is the extraction broken?");
    }

    /// <summary>YAML blocks whose top-level keys are all contract keys (a Kubernetes manifest is not one).</summary>
    private static IEnumerable<CodeBlock> Blocks()
    {
        var rootKeys = ContractKeyDocsTests.AcceptedKeys().Select(k => k.Split('.')[0]).ToHashSet(StringComparer.Ordinal);
        rootKeys.UnionWith(["sampling", "escalation", "responses", "propagation", "health", "leak_detection", "container"]);
        return MarkdownFile.Manual()
            .SelectMany(f => f.CodeBlocks())
            .Where(b => b.Language is "yaml" or "yml")
            .Where(b =>
            {
                var keys = RootKey().Matches(b.Code).Select(m => m.Groups[1].Value).ToList();
                return keys.Count > 0 && keys.All(rootKeys.Contains);
            });
    }

    [GeneratedRegex(@"^([A-Za-z_]+):", RegexOptions.Multiline)]
    private static partial Regex RootKey();
}
