using Microsoft.Extensions.DependencyInjection;
using static MemoryContracts.Tests.Contracts.ContractAssert;

namespace MemoryContracts.Tests.Contracts;

/// <summary><c>health: { unready_at: critical | high | never }</c> (DESIGN §13): read, defaulted, validated.</summary>
public sealed class HealthPolicyTests
{
    [Fact]
    public void Parse_NoHealthKey_UnreadyAtCritical()
    {
        var contract = MemoryContract.Parse(OneModule);

        Assert.Equal(PressureLevel.Critical, contract.Health.UnreadyAt);
        Assert.Equal(PressureLevel.Critical, new MemoryContract().Health.UnreadyAt);
    }

    [Theory]
    [InlineData("critical", PressureLevel.Critical)]
    [InlineData("high", PressureLevel.High)]
    [InlineData("High", PressureLevel.High)]
    [InlineData("\"critical\"", PressureLevel.Critical)]
    [InlineData("never", null)]
    public void Parse_UnreadyAt_ReadsTheLevel(string value, PressureLevel? expected)
    {
        var contract = MemoryContract.Parse(OneModule + $"\nhealth:\n  unready_at: {value}\n");

        Assert.Equal(expected, contract.Health.UnreadyAt);
    }

    [Fact]
    public void Parse_EmptyHealthMapping_KeepsTheDefault()
    {
        Assert.Equal(PressureLevel.Critical, MemoryContract.Parse(OneModule + "\nhealth: {}\n").Health.UnreadyAt);
    }

    [Fact]
    public void Parse_MisspeltUnreadyAtValue_FailsNamingKeyLineColumnAndSuggesting()
    {
        var error = Refused(OneModule + "\nhealth:\n  unready_at: hihg\n", "health.unready_at", 5, 15, "unknown level 'hihg'");

        Assert.Contains("did you mean 'high'?", error.Message, StringComparison.Ordinal);
        Assert.Contains("expected critical, high or never", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("elevated")]
    [InlineData("normal")]
    public void Parse_UnreadyAtBelowHigh_Fails(string value)
    {
        Refused(OneModule + $"\nhealth:\n  unready_at: {value}\n", "health.unready_at", 5, 15, "expected critical, high or never");
    }

    [Theory]
    [InlineData("[critical]", "expected critical, high or never, got a list")]
    [InlineData("~", "expected critical, high or never, got null")]
    [InlineData("3", "unknown level '3'")]
    public void Parse_UnreadyAtOfWrongType_Fails(string value, string reason)
    {
        Refused(OneModule + $"\nhealth:\n  unready_at: {value}\n", "health.unready_at", 5, 15, reason);
    }

    [Fact]
    public void Parse_MisspeltHealthKey_FailsSuggestingUnreadyAt()
    {
        var error = Refused(OneModule + "\nhealth:\n  unready: high\n", "health.unready", 5, 3, "unknown key 'unready'");

        Assert.Contains("did you mean 'unready_at'?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnreadyAtAtTheTopLevel_FailsSayingItBelongsInHealth()
    {
        var error = Refused(OneModule + "\nunready_at: high\n", "unready_at", 4, 1);

        Assert.Contains("belongs in health", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_HealthNotAMapping_Fails()
    {
        Refused(OneModule + "\nhealth: high\n", "health", 4, 9, "expected a mapping of keys");
    }

    [Theory]
    [InlineData(PressureLevel.Elevated)]
    [InlineData(PressureLevel.Normal)]
    public void Validate_CodeContractUnreadyAtBelowHigh_FailsNamingTheKey(PressureLevel level)
    {
        var contract = new MemoryContract { Health = new HealthPolicy { UnreadyAt = level }, Modules = [new ModuleContract { Name = "a" }] };

        var error = Assert.Throws<MemoryContractException>(() => MemoryContractValidator.Validate(contract));

        Names(error, "health.unready_at", reason: "must be critical, high or never");
    }

    [Fact]
    public void Validate_CodeContractNullHealth_FailsNamingTheKey()
    {
        var contract = new MemoryContract { Health = null!, Modules = [new ModuleContract { Name = "a" }] };

        Names(Assert.Throws<MemoryContractException>(() => MemoryContractValidator.Validate(contract)), "health");
    }

    [Fact]
    public void Source_ModulesOptionNarrowsTheContract_KeepsHealth()
    {
        var services = new ServiceCollection()
            .AddMemoryContracts(o =>
            {
                o.Contract = new MemoryContract
                {
                    Health = new HealthPolicy { UnreadyAt = null },
                    Modules = [new ModuleContract { Name = "a" }, new ModuleContract { Name = "b" }],
                };
                o.Modules.Add("a");
            })
            .BuildServiceProvider();

        var current = services.GetRequiredService<MemoryContractSource>().Current;

        Assert.Single(current.Modules);
        Assert.Null(current.Health.UnreadyAt);
    }
}
