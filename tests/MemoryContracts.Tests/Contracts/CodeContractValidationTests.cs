using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts.Tests.Contracts;

/// <summary>A contract given in code passes the same rules as a file (errors name the key, no line).</summary>
public sealed class CodeContractValidationTests
{
    [Fact]
    public void Validate_GoodCodeContract_Passes()
    {
        var contract = new MemoryContract { Modules = [new ModuleContract { Name = "catalog", MaxHeapBytes = 100, Routes = ["/catalog"] }] };

        MemoryContractValidator.Validate(contract);

        Assert.Empty(contract.CustomResponders);
    }

    public static TheoryData<MemoryContract, string> BadContracts() => new()
    {
        { new MemoryContract(), "modules" },
        { new MemoryContract { Modules = [new ModuleContract { Name = "" }] }, "modules[0].name" },
        { new MemoryContract { Modules = [new ModuleContract { Name = "a" }, new ModuleContract { Name = "A" }] }, "modules[1].name" },
        { new MemoryContract { Modules = [new ModuleContract { Name = "a", MaxHeapBytes = 0 }] }, "modules[0].max_heap_mb" },
        { new MemoryContract { Modules = [new ModuleContract { Name = "a", MaxHeapBytes = 1, MaxHeapPercent = 5 }] }, "modules[0].max_heap_percent" },
        { new MemoryContract { Modules = [new ModuleContract { Name = "a", GcTriggerRatio = 1.5 }] }, "modules[0].gc_trigger_ratio" },
        { new MemoryContract { Modules = [new ModuleContract { Name = "a", MaxGcPause = TimeSpan.Zero }] }, "modules[0].required_gc_pauses_ms" },
        { new MemoryContract { Modules = [new ModuleContract { Name = "a", Routes = ["/x"] }, new ModuleContract { Name = "b", Routes = ["/X/"] }] }, "modules[1].routes[0]" },
        { new MemoryContract { Version = "v1\r\nX: y", Modules = [new ModuleContract { Name = "a" }] }, "version" },
        { new MemoryContract { Mode = (MemoryContractMode)7, Modules = [new ModuleContract { Name = "a" }] }, "mode" },
        { new MemoryContract { SamplingInterval = TimeSpan.Zero, Modules = [new ModuleContract { Name = "a" }] }, "sampling.interval_ms" },
        { new MemoryContract { Escalation = new() { Heap = new(0.9, 0.8, 0.95) }, Modules = [new ModuleContract { Name = "a" }] }, "escalation.heap.high" },
        { new MemoryContract { Escalation = new() { RecoverySamples = 0 }, Modules = [new ModuleContract { Name = "a" }] }, "escalation.recovery_samples" },
        { new MemoryContract { Responses = new() { High = ["Alert"] }, Modules = [new ModuleContract { Name = "a" }] }, "responses.high[0]" },
        { new MemoryContract { Responses = new() { Shed = new() { RetryAfterSeconds = 0 } }, Modules = [new ModuleContract { Name = "a" }] }, "responses.shed.retry_after_seconds" },
        { new MemoryContract { Propagation = new() { TrustedNetworks = ["10.0.0.0/40"] }, Modules = [new ModuleContract { Name = "a" }] }, "propagation.trusted_networks[0]" },
        { new MemoryContract { Propagation = new() { OutboundHosts = ["*"] }, Modules = [new ModuleContract { Name = "a" }] }, "propagation.outbound_hosts[0]" },
        { new MemoryContract { Propagation = new() { DownstreamBackoffAbovePercent = 0 }, Modules = [new ModuleContract { Name = "a" }] }, "propagation.downstream_backoff_above_percent" },
        { new MemoryContract { Propagation = new() { DownstreamBackoffAcceptsMultiplier = double.NaN }, Modules = [new ModuleContract { Name = "a" }] }, "propagation.downstream_backoff_accepts_multiplier" },
    };

    [Theory]
    [MemberData(nameof(BadContracts))]
    public void Validate_BadCodeContract_FailsNamingTheKeyWithoutLine(MemoryContract contract, string key)
    {
        var error = Assert.Throws<MemoryContractException>(() => MemoryContractValidator.Validate(contract));

        Assert.Equal(key, error.Key);
        Assert.Null(error.Line);
        Assert.Null(error.Column);
        Assert.Contains($"(key '{key}')", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Source_BadCodeContract_FailsWhenResolved()
    {
        var services = new ServiceCollection()
            .AddMemoryContracts(o => o.Contract = new MemoryContract { Modules = [new ModuleContract { Name = "a", MaxHeapBytes = -1 }] })
            .BuildServiceProvider();

        var error = Assert.Throws<MemoryContractException>(() => services.GetRequiredService<MemoryContractSource>());

        Assert.Equal("modules[0].max_heap_mb", error.Key);
    }

    [Fact]
    public void EnsureRespondersKnown_CodeContractWithUnregisteredResponder_FailsNamingTheKey()
    {
        var contract = new MemoryContract { Modules = [new ModuleContract { Name = "a" }], Responses = new() { Critical = ["alert", "page_oncall"] } };

        var error = Assert.Throws<MemoryContractException>(() => MemoryContractValidator.EnsureRespondersKnown(contract, []));

        Assert.Equal("responses.critical[1]", error.Key);
        Assert.Null(error.Line);
        Assert.Contains("registered IMemoryPressureResponders: none", error.Message, StringComparison.Ordinal);
    }
}
