using static MemoryContracts.Tests.Contracts.ContractAssert;

namespace MemoryContracts.Tests.Contracts;

/// <summary><c>container: { enabled, limit_mb }</c> and <c>escalation.working_set</c> (DESIGN §9): read, defaulted, validated.</summary>
public sealed class ContainerPolicyTests
{
    private const long MB = 1024 * 1024;

    [Theory]
    [InlineData("auto", ContainerMode.Auto)]
    [InlineData("\"auto\"", ContainerMode.Auto)]
    [InlineData("true", ContainerMode.Enabled)]
    [InlineData("false", ContainerMode.Disabled)]
    public void Parse_Enabled_ReadsTheMode(string value, ContainerMode expected)
    {
        var contract = MemoryContract.Parse(OneModule + $"\ncontainer:\n  enabled: {value}\n");

        Assert.Equal(expected, contract.Container.Enabled);
    }

    [Fact]
    public void Parse_LimitMb_ReadsBytes()
    {
        var contract = MemoryContract.Parse(OneModule + "\ncontainer:\n  enabled: true\n  limit_mb: 512\n");

        Assert.Equal(512 * MB, contract.Container.LimitBytes);
    }

    [Fact]
    public void Parse_LimitMbNull_UsesTheCgroupLimit()
    {
        Assert.Null(MemoryContract.Parse(OneModule + "\ncontainer:\n  limit_mb: null\n").Container.LimitBytes);
    }

    [Fact]
    public void Parse_WorkingSetThresholds_Read()
    {
        var contract = MemoryContract.Parse(OneModule + "\nescalation:\n  working_set: { elevated: 0.7, high: 0.85 }\n");

        Assert.Equal((0.7, 0.85, 0.95), (contract.Escalation.WorkingSet.Elevated, contract.Escalation.WorkingSet.High, contract.Escalation.WorkingSet.Critical));
    }

    [Fact]
    public void Parse_EnabledNotABoolean_FailsNamingKeyLineColumn()
    {
        Refused(OneModule + "\ncontainer:\n  enabled: sometimes\n", "container.enabled", 5, 12, "expected auto, true or false");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    public void Parse_LimitMbNotPositive_FailsNamingKeyLineColumn(string value)
    {
        Refused(OneModule + $"\ncontainer:\n  limit_mb: {value}\n", "container.limit_mb", 5, 13, "must be greater than 0");
    }

    [Fact]
    public void Parse_WorkingSetRatiosOutOfOrder_FailsNamingKeyLineColumn()
    {
        Refused(OneModule + "\nescalation:\n  working_set:\n    elevated: 0.9\n    high: 0.8\n", "escalation.working_set.high", 7, 11, "ratios must increase strictly");
    }

    [Fact]
    public void Parse_UnknownContainerKey_FailsSuggesting()
    {
        Refused(OneModule + "\ncontainer:\n  limit: 5\n", "container.limit", 5, 3, "unknown key 'limit'");
    }

    [Fact]
    public void Validate_CodeContractWithZeroLimit_FailsNamingKey()
    {
        var error = Assert.Throws<MemoryContractException>(() => MemoryContractValidator.Validate(new MemoryContract
        {
            Modules = [new ModuleContract { Name = "a" }],
            Container = new ContainerPolicy { LimitBytes = 0 },
        }));

        Names(error, "container.limit_mb");
    }

    [Fact]
    public void Narrow_ToSomeModules_KeepsTheContainerPolicy()
    {
        var contract = MemoryContract.Parse("modules:\n  - name: a\n  - name: b\ncontainer:\n  enabled: false\n  limit_mb: 64\n");

        var narrowed = MemoryContractSource.Narrow(contract, ["b"]);

        Assert.Equal(ContainerMode.Disabled, narrowed.Container.Enabled);
        Assert.Equal(64 * MB, narrowed.Container.LimitBytes);
        Assert.Single(narrowed.Modules);
    }
}
