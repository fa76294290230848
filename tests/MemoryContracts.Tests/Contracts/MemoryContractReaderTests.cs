using Microsoft.Extensions.Logging;

namespace MemoryContracts.Tests.Contracts;

public sealed class MemoryContractReaderTests
{
    private const long MB = 1024 * 1024;

    [Fact]
    public void Parse_SeedExample_LoadsUnchanged()
    {
        const string seed = """
            modules:
            - name: "transaction-processor"
              max_heap_mb: 1800
              alloc_rate_mb_per_sec: 12.5
              gc_trigger_ratio: 0.75
              required_gc_pauses_ms: "<5"
            """;

        var contract = MemoryContract.Parse(seed);

        var module = Assert.Single(contract.Modules);
        Assert.Equal("transaction-processor", module.Name);
        Assert.Equal(1800 * MB, module.MaxHeapBytes);
        Assert.Equal(12.5 * MB, module.AllocRateBytesPerSecond);
        Assert.Equal(0.75, module.GcTriggerRatio);
        Assert.Equal(TimeSpan.FromMilliseconds(5), module.MaxGcPause);
    }

    [Fact]
    public void Parse_OnlyAModuleName_EveryDefaultOfDesignSection2()
    {
        var contract = MemoryContract.Parse("modules:\n  - name: catalog\n");

        Assert.Equal("v1.2", contract.Version);
        Assert.Equal(MemoryContractMode.Enforce, contract.Mode);
        Assert.False(contract.StrictEndpoints);
        Assert.Equal(TimeSpan.FromMilliseconds(500), contract.SamplingInterval);

        var module = Assert.Single(contract.Modules);
        Assert.Null(module.MaxHeapBytes);
        Assert.Null(module.MaxHeapPercent);
        Assert.Null(module.AllocRateBytesPerSecond);
        Assert.Null(module.GcTriggerRatio);
        Assert.Null(module.MaxGcPause);
        Assert.False(module.Core);
        Assert.Equal(50, module.Priority);
        Assert.Empty(module.Routes);

        var escalation = contract.Escalation;
        AssertRatios(escalation.Heap, 0.80, 0.90, 0.95);
        AssertRatios(escalation.AllocRate, 1.0, 1.5, 2.0);
        AssertRatios(escalation.GcPause, 1.0, 1.5, 2.0);
        AssertRatios(escalation.WorkingSet, 0.80, 0.90, 0.95);
        Assert.Equal(ContainerMode.Auto, contract.Container.Enabled);
        Assert.Null(contract.Container.LimitBytes);
        Assert.Equal((1, 2, 3), (escalation.Consecutive.Elevated, escalation.Consecutive.High, escalation.Consecutive.Critical));
        Assert.Equal(5, escalation.RecoverySamples);

        var responses = contract.Responses;
        Assert.Equal(["alert", "trim_caches"], responses.Elevated);
        Assert.Equal(["alert", "trim_caches", "tighten_gc", "snapshot", "trim_native"], responses.High);
        Assert.Equal(["alert", "trim_caches", "tighten_gc", "shed_requests", "compact_gc", "trim_native"], responses.Critical);
        AssertRatios(responses.TrimFraction, 0.25, 0.5, 1.0);
        Assert.Equal(5, responses.Shed.RetryAfterSeconds);
        Assert.True(responses.Shed.Scaled);
        Assert.Equal(["/health", "/healthz", "/metrics"], responses.Shed.ExemptPaths);
        Assert.Equal(TimeSpan.FromSeconds(30), responses.CompactGc.MinInterval);
        Assert.Null(responses.Snapshot.Directory);
        Assert.Equal(TimeSpan.FromSeconds(300), responses.Snapshot.MinInterval);
        Assert.Empty(responses.QuietLogs.Categories);
        Assert.Equal(LogLevel.Warning, responses.QuietLogs.Level);

        var propagation = contract.Propagation;
        Assert.True(propagation.Outbound);
        Assert.Equal(["localhost", "*.internal", "*.local", "*.svc", "*.svc.cluster.local"], propagation.OutboundHosts);
        Assert.True(propagation.ResponseHeaders);
        Assert.True(propagation.Orca);
        Assert.Equal(["127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"], propagation.TrustedNetworks);
        Assert.Equal(80, propagation.BypassCacheWritesAbovePercent);
        Assert.Equal(95, propagation.DownstreamBackoffAbovePercent);
        Assert.Equal(2, propagation.DownstreamBackoffAcceptsMultiplier);
    }

    [Fact]
    public void Parse_EveryKeySet_ReadsEveryValueWithItsUnit()
    {
        const string yaml = """
            version: "2026.01-rc1"
            mode: shadow
            strict_endpoints: true
            sampling: { interval_ms: 250 }
            modules:
              - name: orders
                max_heap_mb: 0.5
                alloc_rate_mb_per_sec: 3
                gc_trigger_ratio: 1
                required_gc_pauses_ms: 7.5
                core: true
                priority: -3
                routes: ["/orders", "/payments/"]
              - name: search
                max_heap_percent: 12.5
                required_gc_pauses_ms: "< 20"
            escalation:
              heap: { elevated: 0.5, high: 0.6, critical: 0.7 }
              alloc_rate: { elevated: 2, high: 3, critical: 4 }
              gc_pause: { critical: 9 }
              consecutive: { elevated: 2, high: 4, critical: 6 }
              recovery_samples: 10
            responses:
              elevated: []
              high: [alert, my.custom-responder_1]
              critical: [shed_requests]
              trim_fraction: { elevated: 0.1, high: 0.2, critical: 0.3 }
              shed: { retry_after_seconds: 30, scaled: false, exempt_paths: ["/ping"] }
              compact_gc: { min_interval_seconds: 120 }
              snapshot: { directory: /var/tmp/snapshots, min_interval_seconds: 60 }
              quiet_logs: { categories: ["Microsoft.AspNetCore", "System.Net.Http"], level: error }
            propagation:
              outbound: false
              outbound_hosts: ["inventory", "*.example.internal", "10.1.2.3"]
              response_headers: false
              orca: false
              trusted_networks: ["10.1.0.0/16"]
              bypass_cache_writes_above_percent: 70
              downstream_backoff_above_percent: 120
              downstream_backoff_accepts_multiplier: 1.5
            """;

        var contract = MemoryContract.Parse(yaml);

        Assert.Equal("2026.01-rc1", contract.Version);
        Assert.Equal(MemoryContractMode.Shadow, contract.Mode);
        Assert.True(contract.StrictEndpoints);
        Assert.Equal(TimeSpan.FromMilliseconds(250), contract.SamplingInterval);
        var orders = contract.Modules[0];
        Assert.Equal(MB / 2, orders.MaxHeapBytes);
        Assert.Equal(3.0 * MB, orders.AllocRateBytesPerSecond);
        Assert.Equal(1.0, orders.GcTriggerRatio);
        Assert.Equal(TimeSpan.FromMilliseconds(7.5), orders.MaxGcPause);
        Assert.True(orders.Core);
        Assert.Equal(-3, orders.Priority);
        Assert.Equal(["/orders", "/payments/"], orders.Routes);
        var search = contract.Modules[1];
        Assert.Null(search.MaxHeapBytes);
        Assert.Equal(12.5, search.MaxHeapPercent);
        Assert.Equal(TimeSpan.FromMilliseconds(20), search.MaxGcPause);
        Assert.Equal(400 * MB / 8, search.ResolveMaxHeapBytes(400 * MB));

        AssertRatios(contract.Escalation.Heap, 0.5, 0.6, 0.7);
        AssertRatios(contract.Escalation.AllocRate, 2, 3, 4);
        AssertRatios(contract.Escalation.GcPause, 1.0, 1.5, 9);
        Assert.Equal((2, 4, 6), (contract.Escalation.Consecutive.Elevated, contract.Escalation.Consecutive.High, contract.Escalation.Consecutive.Critical));
        Assert.Equal(10, contract.Escalation.RecoverySamples);

        Assert.Empty(contract.Responses.Elevated);
        Assert.Equal(["alert", "my.custom-responder_1"], contract.Responses.High);
        Assert.Equal(["shed_requests"], contract.Responses.Critical);
        AssertRatios(contract.Responses.TrimFraction, 0.1, 0.2, 0.3);
        Assert.Equal(30, contract.Responses.Shed.RetryAfterSeconds);
        Assert.False(contract.Responses.Shed.Scaled);
        Assert.Equal(["/ping"], contract.Responses.Shed.ExemptPaths);
        Assert.Equal(TimeSpan.FromSeconds(120), contract.Responses.CompactGc.MinInterval);
        Assert.Equal("/var/tmp/snapshots", contract.Responses.Snapshot.Directory);
        Assert.Equal(TimeSpan.FromSeconds(60), contract.Responses.Snapshot.MinInterval);
        Assert.Equal(["Microsoft.AspNetCore", "System.Net.Http"], contract.Responses.QuietLogs.Categories);
        Assert.Equal(LogLevel.Error, contract.Responses.QuietLogs.Level);

        Assert.False(contract.Propagation.Outbound);
        Assert.Equal(["inventory", "*.example.internal", "10.1.2.3"], contract.Propagation.OutboundHosts);
        Assert.False(contract.Propagation.ResponseHeaders);
        Assert.False(contract.Propagation.Orca);
        Assert.Equal(["10.1.0.0/16"], contract.Propagation.TrustedNetworks);
        Assert.Equal(70, contract.Propagation.BypassCacheWritesAbovePercent);
        Assert.Equal(120, contract.Propagation.DownstreamBackoffAbovePercent);
        Assert.Equal(1.5, contract.Propagation.DownstreamBackoffAcceptsMultiplier);

        var custom = Assert.Single(contract.CustomResponders);
        Assert.Equal(("my.custom-responder_1", "responses.high[1]", 25), (custom.Name, custom.Key, custom.Line));
    }

    [Fact]
    public void Load_RootContractFile_LoadsTheExampleSystem()
    {
        var path = Path.Combine(ContractAssert.RepositoryRoot(), "memory_contract.yaml");

        var contract = MemoryContract.Load(path);

        Assert.Equal(["catalog", "checkout", "reports", "inventory"], contract.Modules.Select(m => m.Name));
        Assert.Equal(["checkout", "inventory"], contract.Modules.Where(m => m.Core).Select(m => m.Name));
        Assert.Equal(["/catalog"], contract.Modules[0].Routes);
        Assert.Equal(["/checkout"], contract.Modules[1].Routes);
        Assert.Equal(["/reports"], contract.Modules[2].Routes);
        Assert.NotNull(contract.Modules[2].MaxHeapPercent);
        Assert.True(contract.Modules.Where(m => m.MaxHeapBytes is not null).Sum(m => m.MaxHeapBytes!.Value) is >= 200 * MB and <= 400 * MB);
        Assert.Equal(path, contract.SourcePath);
        Assert.Empty(contract.CustomResponders);
    }

    [Fact]
    public void Load_RootContractFile_HasEveryKeyOfDesignSection2()
    {
        var text = File.ReadAllText(Path.Combine(ContractAssert.RepositoryRoot(), "memory_contract.yaml"));
        string[] keys =
        [
            "version:", "mode:", "strict_endpoints:", "sampling:", "interval_ms:", "modules:", "name:", "max_heap_mb:", "max_heap_percent:",
            "alloc_rate_mb_per_sec:", "gc_trigger_ratio:", "required_gc_pauses_ms:", "core:", "priority:", "routes:", "escalation:", "heap:",
            "alloc_rate:", "gc_pause:", "consecutive:", "recovery_samples:", "responses:", "elevated:", "high:", "critical:", "trim_fraction:",
            "shed:", "retry_after_seconds:", "scaled:", "exempt_paths:", "compact_gc:", "min_interval_seconds:", "snapshot:", "directory:",
            "quiet_logs:", "categories:", "level:", "propagation:", "outbound:", "outbound_hosts:", "response_headers:", "orca:",
            "trusted_networks:", "bypass_cache_writes_above_percent:", "downstream_backoff_above_percent:",
            "downstream_backoff_accepts_multiplier:",
        ];

        Assert.All(keys, key => Assert.Contains(key, text, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_AliasToAnAnchor_ResolvesByReference()
    {
        const string yaml = """
            modules:
              - name: catalog
                routes: &routes ["/catalog"]
            escalation:
              alloc_rate: &ratios { elevated: 1.2, high: 1.4, critical: 1.8 }
              gc_pause: *ratios
            """;

        var contract = MemoryContract.Parse(yaml);

        AssertRatios(contract.Escalation.GcPause, 1.2, 1.4, 1.8);
        Assert.Equal(["/catalog"], contract.Modules[0].Routes);
    }

    [Fact]
    public void Parse_PlainNumberPause_IsMilliseconds()
    {
        var contract = MemoryContract.Parse("modules:\n  - name: a\n    required_gc_pauses_ms: 12\n");

        Assert.Equal(TimeSpan.FromMilliseconds(12), contract.Modules[0].MaxGcPause);
    }

    [Fact]
    public void Parse_SnapshotDirectoryNull_IsNull()
    {
        var contract = MemoryContract.Parse(ContractAssert.OneModule + "\nresponses:\n  snapshot: { directory: ~ }\n");

        Assert.Null(contract.Responses.Snapshot.Directory);
    }

    [Fact]
    public void Parse_CrLfLineEndingsAndBom_Load()
    {
        var contract = MemoryContract.Parse("\uFEFFversion: v2\r\nmodules:\r\n  - name: a\r\n");

        Assert.Equal("v2", contract.Version);
    }

    [Fact]
    public void Load_FileWithUtf8Bom_Loads()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mc-bom-{Guid.NewGuid():N}.yaml");
        try
        {
            File.WriteAllText(path, "modules:\n  - name: a\n", new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

            Assert.Equal("a", MemoryContract.Load(path).Modules[0].Name);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void AssertRatios(LevelRatios ratios, double elevated, double high, double critical) =>
        Assert.Equal((elevated, high, critical), (ratios.Elevated, ratios.High, ratios.Critical));
}
