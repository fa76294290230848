using static MemoryContracts.Tests.Contracts.ContractAssert;

namespace MemoryContracts.Tests.Contracts;

/// <summary>One test per error of DESIGN §2 and issue 2: each names the key, and the line and column where the YAML has them.</summary>
public sealed class MemoryContractErrorTests
{
    [Fact]
    public void Parse_TypoInModuleKey_FailsSuggestingTheKnownKey()
    {
        var error = Refused("modules:\n  - name: catalog\n    max_heep_mb: 100\n", "modules[0].max_heep_mb", 3, 5, "unknown key 'max_heep_mb'");

        Assert.Contains("did you mean 'max_heap_mb'?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_KeyAtTheWrongLevel_FailsSayingWhereItBelongs()
    {
        var error = Refused(OneModule + "\ninterval_ms: 100\n", "interval_ms", 4, 1, "unknown key 'interval_ms'");

        Assert.Contains("belongs in sampling", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("escalation:\n  heap: { elevated: 0.8, hihg: 0.9 }\n", "escalation.heap.hihg", 5, "did you mean 'high'?")]
    [InlineData("responses:\n  shed: { retry_after: 5 }\n", "responses.shed.retry_after", 5, "did you mean 'retry_after_seconds'?")]
    [InlineData("propagation:\n  trusted_network: []\n", "propagation.trusted_network", 5, "did you mean 'trusted_networks'?")]
    [InlineData("verison: v1\n", "verison", 4, "did you mean 'version'?")]
    [InlineData("<<: {}\n", "<<", 4, "merge keys are not supported")]
    public void Parse_UnknownKeyAnywhere_Fails(string extra, string key, int line, string hint)
    {
        var error = Refused(OneModule + "\n" + extra, key, line);

        Assert.Contains(hint, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("    max_heap_mb: abc\n", "modules[0].max_heap_mb", 18, "expected a number, got 'abc'")]
    [InlineData("    max_heap_mb: \"1800\"\n", "modules[0].max_heap_mb", 18, "leave numbers and true/false unquoted")]
    [InlineData("    max_heap_mb: [1]\n", "modules[0].max_heap_mb", 18, "expected a number, got a list")]
    [InlineData("    priority: 1.5\n", "modules[0].priority", 15, "expected a whole number")]
    [InlineData("    core: yes\n", "modules[0].core", 11, "expected true or false")]
    [InlineData("    routes: /catalog\n", "modules[0].routes", 13, "expected a list")]
    [InlineData("    routes: [[\"/a\"]]\n", "modules[0].routes[0]", 14, "expected a string, got a list")]
    [InlineData("    routes: { first: a }\n", "modules[0].routes", 13, "expected a list, got a mapping")]
    [InlineData("    routes: [~]\n", "modules[0].routes[0]", 14, "expected a string, got null")]
    public void Parse_WrongTypeInModule_Fails(string line, string key, int column, string reason)
    {
        Refused("modules:\n  - name: catalog\n" + line, key, 3, column, reason);
    }

    [Theory]
    [InlineData("modules: { name: catalog }\n", "modules", 1, 10, "expected a list, got a mapping")]
    [InlineData("modules:\n  - catalog\n", "modules[0]", 2, 5, "expected a mapping of keys")]
    [InlineData("sampling: 5\nmodules: [{ name: a }]\n", "sampling", 1, 11, "expected a mapping of keys")]
    [InlineData("- a\n- b\n", null, 1, 1, "expected a mapping of keys, got a list")]
    public void Parse_WrongTypeOfCollection_Fails(string yaml, string? key, int line, int column, string reason)
    {
        var error = Assert.Throws<MemoryContractException>(() => MemoryContract.Parse(yaml));

        Assert.Equal(key, error.Key);
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("max_heap_mb: 0", "modules[0].max_heap_mb", "heap budget must be greater than 0")]
    [InlineData("max_heap_mb: -5", "modules[0].max_heap_mb", "heap budget must be greater than 0")]
    [InlineData("max_heap_percent: 0", "modules[0].max_heap_percent", "greater than 0 and at most 100")]
    [InlineData("max_heap_percent: 100.5", "modules[0].max_heap_percent", "greater than 0 and at most 100")]
    [InlineData("alloc_rate_mb_per_sec: 0", "modules[0].alloc_rate_mb_per_sec", "greater than 0")]
    [InlineData("alloc_rate_mb_per_sec: -1.5", "modules[0].alloc_rate_mb_per_sec", "greater than 0")]
    [InlineData("required_gc_pauses_ms: 0", "modules[0].required_gc_pauses_ms", "greater than 0")]
    [InlineData("required_gc_pauses_ms: -3", "modules[0].required_gc_pauses_ms", "greater than 0")]
    [InlineData("required_gc_pauses_ms: \"<0\"", "modules[0].required_gc_pauses_ms", "greater than 0")]
    public void Parse_ZeroOrNegativeBudget_Fails(string budget, string key, string reason)
    {
        Refused($"modules:\n  - name: catalog\n    {budget}\n", key, 3, budget.IndexOf(':', StringComparison.Ordinal) + 7, reason);
    }

    [Fact]
    public void Parse_BothHeapBudgets_Fails()
    {
        Refused("modules:\n  - name: a\n    max_heap_mb: 10\n    max_heap_percent: 5\n", "modules[0].max_heap_percent", 4, 5, "not both");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-0.1")]
    [InlineData("1.01")]
    [InlineData("75")]
    public void Parse_GcTriggerRatioOutsideZeroToOne_Fails(string ratio)
    {
        Refused($"modules:\n  - name: a\n    gc_trigger_ratio: {ratio}\n", "modules[0].gc_trigger_ratio", 3, 23, "(0, 1]");
    }

    [Theory]
    [InlineData("heap: { elevated: 0.9, high: 0.85, critical: 0.95 }", "escalation.heap.high")]
    [InlineData("heap: { elevated: 0.9, high: 0.9 }", "escalation.heap.high")]
    [InlineData("alloc_rate: { high: 2.5 }", "escalation.alloc_rate.critical")]
    [InlineData("gc_pause: { elevated: 2, high: 3, critical: 2.5 }", "escalation.gc_pause.critical")]
    public void Parse_EscalationRatiosNotIncreasing_Fails(string ratios, string key)
    {
        var error = Refused(OneModule + "\nescalation:\n  " + ratios + "\n", key, line: 5, reason: "ratios must increase strictly");

        Assert.Contains("elevated (", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("heap: { elevated: 0 }", "escalation.heap.elevated")]
    [InlineData("alloc_rate: { elevated: -1 }", "escalation.alloc_rate.elevated")]
    public void Parse_EscalationRatioNotPositive_Fails(string ratios, string key)
    {
        Refused(OneModule + "\nescalation:\n  " + ratios + "\n", key, line: 5, reason: "greater than 0");
    }

    [Theory]
    [InlineData("consecutive: { elevated: 0 }", "escalation.consecutive.elevated")]
    [InlineData("consecutive: { high: -1 }", "escalation.consecutive.high")]
    [InlineData("recovery_samples: 0", "escalation.recovery_samples")]
    public void Parse_CountBelowOne_Fails(string counts, string key)
    {
        Refused(OneModule + "\nescalation:\n  " + counts + "\n", key, line: 5, reason: "from 1 to");
    }

    [Theory]
    [InlineData("trim_fraction: { elevated: 0 }", "responses.trim_fraction.elevated")]
    [InlineData("trim_fraction: { critical: 1.5 }", "responses.trim_fraction.critical")]
    public void Parse_TrimFractionOutsideZeroToOne_Fails(string fractions, string key)
    {
        Refused(OneModule + "\nresponses:\n  " + fractions + "\n", key, line: 5, reason: "(0, 1]");
    }

    [Theory]
    [InlineData("catalog")]
    [InlineData("Catalog")]
    public void Parse_DuplicateModuleNames_Fails(string second)
    {
        var error = Refused($"modules:\n  - name: catalog\n  - name: {second}\n", "modules[1].name", 3, 11, "already used by modules[0]");

        Assert.Contains("line 2", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("  - max_heap_mb: 5\n")]
    [InlineData("  - name: \"\"\n")]
    public void Parse_ModuleWithoutName_Fails(string module)
    {
        Refused("modules:\n  - name: a\n" + module, "modules[1].name", 3, reason: "needs a 'name'");
    }

    [Theory]
    [InlineData("\"has space\"")]
    [InlineData("caf\u00e9")]
    [InlineData("a123456789a123456789a123456789a123456789a123456789a123456789abcde")]
    public void Parse_ModuleNameOutsideTheAllowedCharacters_Fails(string name)
    {
        Refused($"modules:\n  - name: {name}\n", "modules[0].name", 2, 11, "must be 1 to 64 characters");
    }

    [Theory]
    [InlineData("catalog")]
    [InlineData("\"\"")]
    [InlineData("\"/cat alog\"")]
    [InlineData("\"/catalog?x=1\"")]
    public void Parse_RouteNotAPathPrefix_Fails(string route)
    {
        Refused($"modules:\n  - name: a\n    routes: [{route}]\n", "modules[0].routes[0]", 3, 14, "route");
    }

    [Theory]
    [InlineData("/catalog")]
    [InlineData("/Catalog/")]
    [InlineData("/CATALOG")]
    public void Parse_RouteClaimedByTwoModules_Fails(string second)
    {
        var error = Refused($"modules:\n  - name: a\n    routes: [\"/catalog\"]\n  - name: b\n    routes: [\"/x\", \"{second}\"]\n", "modules[1].routes[1]", 5, 20, "already claimed by module 'a'");

        Assert.Contains("modules[0].routes[0], line 3", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Alert")]
    [InlineData("\"shed requests\"")]
    [InlineData("\"\"")]
    public void Parse_MalformedResponderName_Fails(string name)
    {
        Refused(OneModule + $"\nresponses:\n  high: [alert, {name}]\n", "responses.high[1]", 5, 17, "responder name");
    }

    [Fact]
    public void EnsureRespondersKnown_UnknownResponderName_FailsWithItsLine()
    {
        var contract = MemoryContract.Parse(OneModule + "\nresponses:\n  high: [alert, trim_cache]\n  critical: [page_oncall]\n");

        var error = Assert.Throws<MemoryContractException>(() => MemoryContractValidator.EnsureRespondersKnown(contract, ["page_oncall"]));

        Names(error, "responses.high[1]", 5, 17, "unknown responder 'trim_cache'");
        Assert.Contains("did you mean 'trim_caches'?", error.Message, StringComparison.Ordinal);
        Assert.Contains("page_oncall", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureRespondersKnown_RegisteredCustomResponder_Passes()
    {
        var contract = MemoryContract.Parse(OneModule + "\nresponses:\n  critical: [alert, page_oncall]\n");

        MemoryContractValidator.EnsureRespondersKnown(contract, ["page_oncall"]);

        Assert.Equal("page_oncall", Assert.Single(contract.CustomResponders).Name);
    }

    [Theory]
    [InlineData("\"<\"")]
    [InlineData("\"<abc\"")]
    [InlineData("\"<=5\"")]
    [InlineData("\"-3\"")]
    [InlineData("\"5ms\"")]
    [InlineData("\"\"")]
    [InlineData("{ max: 5 }")]
    public void Parse_MalformedPause_Fails(string pause)
    {
        Refused($"modules:\n  - name: a\n    required_gc_pauses_ms: {pause}\n", "modules[0].required_gc_pauses_ms", 3, 28, "malformed pause");
    }

    [Theory]
    [InlineData("10.0.0.1/8")]
    [InlineData("300.0.0.0/8")]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0")]
    [InlineData("not-a-network")]
    public void Parse_MalformedCidr_Fails(string cidr)
    {
        Refused(OneModule + $"\npropagation:\n  trusted_networks: [\"127.0.0.0/8\", \"{cidr}\"]\n", "propagation.trusted_networks[1]", 5, 37, "CIDR");
    }

    [Theory]
    [InlineData("")]
    [InlineData("*")]
    [InlineData("*.")]
    [InlineData("a*b.internal")]
    [InlineData("foo..bar")]
    [InlineData(".internal")]
    [InlineData("http://inventory")]
    [InlineData("inventory:8080")]
    public void Parse_OddOutboundHostPattern_Fails(string pattern)
    {
        Refused(OneModule + $"\npropagation:\n  outbound_hosts: [\"{pattern}\"]\n", "propagation.outbound_hosts[0]", 5, 20, "not a host pattern");
    }

    [Fact]
    public void Parse_UnknownMode_FailsSuggestingAMode()
    {
        var error = Refused("mode: enforse\n" + OneModule, "mode", 1, 7, "unknown mode 'enforse'");

        Assert.Contains("did you mean 'enforce'?", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("modules: [ { name: a }\n", 2, "malformed YAML")]
    [InlineData("modules:\n  - name: a: b\n", 2, "malformed YAML")]
    [InlineData("modules:\n  - name: \"a\n", 2, "found unexpected end of stream")]
    [InlineData("modules:\n\t- name: a\n", 1, "found invalid tab as indentation")]
    public void Parse_MalformedYaml_FailsWithTheParsersLine(string yaml, int line, string reason)
    {
        var error = Assert.Throws<MemoryContractException>(() => MemoryContract.Parse(yaml));

        Assert.Equal(line, error.Line);
        Assert.NotNull(error.Column);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        Assert.Contains($"line {line}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TwoDocuments_Fails()
    {
        var error = Assert.Throws<MemoryContractException>(() => MemoryContract.Parse(OneModule + "\n---\n" + OneModule));

        Assert.Contains("single YAML document", error.Reason, StringComparison.Ordinal);
        Assert.Equal(4, error.Line);
    }

    [Fact]
    public void Parse_DuplicateKey_Fails()
    {
        Refused("modules:\n  - name: a\n    core: true\n    core: false\n", "modules[0].core", 4, 5, "appears twice");
    }

    [Fact]
    public void Parse_Tag_Fails()
    {
        Refused("modules:\n  - name: !!str a\n", "modules[0].name", 2, 11, "tags");
    }

    [Fact]
    public void Parse_AliasWithoutAnchor_Fails()
    {
        Refused("modules:\n  - name: a\n    routes: *nowhere\n", "modules[0].routes", 3, 13, "refers to no anchor");
    }

    [Theory]
    [InlineData("version: v1\n")]
    [InlineData("modules: []\n")]
    [InlineData("modules:\n")]
    public void Parse_NoModules_Fails(string yaml)
    {
        var error = Assert.Throws<MemoryContractException>(() => MemoryContract.Parse(yaml));

        Assert.Equal("modules", error.Key);
        Assert.Equal(1, error.Line);
        Assert.Contains("(key 'modules')", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("---\n")]
    [InlineData("~\n")]
    public void Parse_EmptyDocument_Fails(string yaml)
    {
        var error = Assert.Throws<MemoryContractException>(() => MemoryContract.Parse(yaml));

        Assert.Equal("modules", error.Key);
        Assert.Contains("empty", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_FailsNamingTheFullPath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mc-missing-{Guid.NewGuid():N}", "memory_contract.yaml");

        var error = Assert.Throws<MemoryContractException>(() => MemoryContract.Load(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Equal(path, error.FilePath);
        Assert.Contains("does not exist", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BadFile_ErrorNamesFileLineAndKey()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mc-bad-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "modules:\n  - name: a\n    max_heap_mb: 0\n");
        try
        {
            var error = Assert.Throws<MemoryContractException>(() => MemoryContract.Load(path));

            Names(error, "modules[0].max_heap_mb", 3, 18);
            Assert.StartsWith($"Invalid memory contract '{path}' at line 3, column 18 (key 'modules[0].max_heap_mb'): ", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("\"\"", "must not be empty")]
    [InlineData("\"   \"", "must not be empty")]
    [InlineData("a123456789a123456789a123456789a123456789a123456789a123456789abcde", "at most 64 characters")]
    [InlineData("\"v1\\r\\nX-Injected: yes\"", "printable ASCII")]
    [InlineData("\"v1\\n\"", "printable ASCII")]
    [InlineData("v\u00e9", "printable ASCII")]
    [InlineData("\" v1\"", "printable ASCII")]
    public void Parse_VersionNotAHeaderValue_Fails(string version, string reason)
    {
        Refused($"version: {version}\n" + OneModule, "version", 1, 10, reason);
    }

    [Fact]
    public void Narrow_ModuleTheFileLacks_FailsNamingTheOptionAndTheModules()
    {
        var contract = MemoryContract.Parse("modules:\n  - name: catalog\n  - name: checkout\n");

        var error = Assert.Throws<MemoryContractException>(() => MemoryContractSource.Narrow(contract, ["checkout", "catalgo"]));

        Names(error, "MemoryContracts:Modules", reason: "'catalgo'");
        Assert.Contains("did you mean 'catalog'?", error.Message, StringComparison.Ordinal);
        Assert.Contains("catalog, checkout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Narrow_ModulesTheFileHas_KeepsThemInOrderWithTheRest()
    {
        var contract = MemoryContract.Parse("version: v9\nmodules:\n  - name: catalog\n  - name: checkout\n  - name: reports\n");

        var narrowed = MemoryContractSource.Narrow(contract, ["reports", "catalog"]);

        Assert.Equal(["reports", "catalog"], narrowed.Modules.Select(m => m.Name));
        Assert.Equal("v9", narrowed.Version);
        Assert.Same(contract.Escalation, narrowed.Escalation);
    }

    [Theory]
    [InlineData("bypass_cache_writes_above_percent: 0", "propagation.bypass_cache_writes_above_percent")]
    [InlineData("downstream_backoff_above_percent: -5", "propagation.downstream_backoff_above_percent")]
    public void Parse_PercentNotPositive_Fails(string percent, string key)
    {
        Refused(OneModule + "\npropagation:\n  " + percent + "\n", key, 5, percent.IndexOf(':', StringComparison.Ordinal) + 5, "greater than 0");
    }

    [Theory]
    [InlineData("0.5")]
    [InlineData("0")]
    [InlineData("10.5")]
    [InlineData("-2")]
    public void Parse_AcceptsMultiplierOutOfRange_Fails(string value)
    {
        const string key = "downstream_backoff_accepts_multiplier: ";
        Refused(OneModule + "\npropagation:\n  " + key + value + "\n", "propagation.downstream_backoff_accepts_multiplier", 5, key.Length + 3, "from 1 to 10");
    }

    [Theory]
    [InlineData("sampling:\n  interval_ms: 5\n", "sampling.interval_ms", "between 10 and 60000")]
    [InlineData("sampling:\n  interval_ms: 60001\n", "sampling.interval_ms", "between 10 and 60000")]
    [InlineData("responses:\n  compact_gc: { min_interval_seconds: 0 }\n", "responses.compact_gc.min_interval_seconds", "from 1 to 86400")]
    [InlineData("responses:\n  snapshot: { min_interval_seconds: 100000 }\n", "responses.snapshot.min_interval_seconds", "from 1 to 86400")]
    [InlineData("responses:\n  shed: { retry_after_seconds: 0 }\n", "responses.shed.retry_after_seconds", "from 1 to 3600")]
    [InlineData("responses:\n  shed: { retry_after_seconds: 3601 }\n", "responses.shed.retry_after_seconds", "from 1 to 3600")]
    [InlineData("responses:\n  shed: { exempt_paths: [health] }\n", "responses.shed.exempt_paths[0]", "must start with '/'")]
    [InlineData("responses:\n  quiet_logs: { level: Loud }\n", "responses.quiet_logs.level", "unknown log level 'Loud'")]
    [InlineData("responses:\n  quiet_logs: { categories: [\"\"] }\n", "responses.quiet_logs.categories[0]", "must not be empty")]
    [InlineData("responses:\n  snapshot: { directory: \"\" }\n", "responses.snapshot.directory", "directory path")]
    [InlineData("strict_endpoints: 1\n", "strict_endpoints", "expected true or false")]
    public void Parse_SettingOutOfRange_Fails(string yaml, string key, string reason)
    {
        Refused(OneModule + "\n" + yaml, key, line: yaml.Count(c => c == '\n') + 3, reason: reason);
    }
}
