using Microsoft.Extensions.DependencyInjection;
using static MemoryContracts.Tests.Contracts.ContractAssert;

namespace MemoryContracts.Tests.Contracts;

/// <summary>
/// <c>leak_detection: { enabled, full_gcs, min_growth_mb }</c> and <c>responses.dump: { directory,
/// min_interval_seconds, max_files }</c> (DESIGN §12): read, defaulted, validated, carried by narrowing.
/// </summary>
public sealed class DiagnosticsContractTests
{
    private const long MB = 1024 * 1024;

    [Fact]
    public void Parse_NoDiagnosticsKeys_Defaults()
    {
        var contract = MemoryContract.Parse(OneModule);

        Assert.True(contract.LeakDetection.Enabled);
        Assert.Equal(5, contract.LeakDetection.FullGcs);
        Assert.Equal(16 * MB, contract.LeakDetection.MinGrowthBytes);
        Assert.Null(contract.Responses.Dump.Directory);
        Assert.Equal(TimeSpan.FromSeconds(3600), contract.Responses.Dump.MinInterval);
        Assert.Equal(2, contract.Responses.Dump.MaxFiles);
    }

    [Fact]
    public void Parse_LeakDetection_ReadsEveryKey()
    {
        var contract = MemoryContract.Parse(OneModule + "\nleak_detection:\n  enabled: false\n  full_gcs: 8\n  min_growth_mb: 2.5\n");

        Assert.False(contract.LeakDetection.Enabled);
        Assert.Equal(8, contract.LeakDetection.FullGcs);
        Assert.Equal((long)(2.5 * MB), contract.LeakDetection.MinGrowthBytes);
    }

    [Fact]
    public void Parse_ResponsesDump_ReadsEveryKey()
    {
        var contract = MemoryContract.Parse(OneModule + "\nresponses:\n  critical: [dump]\n  dump:\n    directory: /var/dumps\n    min_interval_seconds: 60\n    max_files: 5\n");

        Assert.Equal(["dump"], contract.Responses.Critical);
        Assert.Equal("/var/dumps", contract.Responses.Dump.Directory);
        Assert.Equal(TimeSpan.FromSeconds(60), contract.Responses.Dump.MinInterval);
        Assert.Equal(5, contract.Responses.Dump.MaxFiles);
    }

    [Fact]
    public void Parse_DumpDirectoryNull_KeepsTheDefaultDirectory()
    {
        Assert.Null(MemoryContract.Parse(OneModule + "\nresponses:\n  dump:\n    directory: null\n").Responses.Dump.Directory);
    }

    [Theory]
    [InlineData("full_gcs: 1", "leak_detection.full_gcs", "from 2 to 100")]
    [InlineData("full_gcs: 101", "leak_detection.full_gcs", "from 2 to 100")]
    [InlineData("min_growth_mb: 0", "leak_detection.min_growth_mb", "greater than 0")]
    [InlineData("min_growth_mb: -4", "leak_detection.min_growth_mb", "greater than 0")]
    public void Parse_LeakDetectionOutOfRange_FailsNamingKeyLineAndColumn(string entry, string key, string reason)
    {
        Refused(OneModule + $"\nleak_detection:\n  {entry}\n", key, 5, entry.IndexOf(':', StringComparison.Ordinal) + 5, reason);
    }

    [Theory]
    [InlineData("max_files: 0", "responses.dump.max_files", "from 1 to 100")]
    [InlineData("max_files: 101", "responses.dump.max_files", "from 1 to 100")]
    [InlineData("min_interval_seconds: 0", "responses.dump.min_interval_seconds", "from 1 to")]
    public void Parse_DumpOutOfRange_FailsNamingKeyLineAndColumn(string entry, string key, string reason)
    {
        Refused(OneModule + $"\nresponses:\n  dump:\n    {entry}\n", key, 6, entry.IndexOf(':', StringComparison.Ordinal) + 7, reason);
    }

    [Fact]
    public void Parse_MisspeltLeakDetectionKey_FailsSuggestingTheKey()
    {
        var error = Refused(OneModule + "\nleak_detection:\n  full_gc: 5\n", "leak_detection.full_gc", 5, 3, "unknown key 'full_gc'");

        Assert.Contains("did you mean 'full_gcs'?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MisspeltDumpKey_FailsSuggestingTheKey()
    {
        var error = Refused(OneModule + "\nresponses:\n  dump:\n    max_file: 3\n", "responses.dump.max_file", 6, 5, "unknown key 'max_file'");

        Assert.Contains("did you mean 'max_files'?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MaxFilesAtTheTopLevel_FailsSayingItBelongsInResponsesDump()
    {
        var error = Refused(OneModule + "\nmax_files: 3\n", "max_files", 4, 1);

        Assert.Contains("belongs in responses.dump", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("leak_detection:\n  enabled: yes\n", "leak_detection.enabled", "expected true or false")]
    [InlineData("leak_detection:\n  full_gcs: \"5\"\n", "leak_detection.full_gcs", "leave numbers and true/false unquoted")]
    [InlineData("leak_detection: on\n", "leak_detection", "expected a mapping of keys")]
    [InlineData("responses:\n  dump:\n    max_files: 2.5\n", "responses.dump.max_files", "expected a whole number")]
    public void Parse_DiagnosticsKeyOfWrongType_Fails(string yaml, string key, string reason)
    {
        Refused(OneModule + "\n" + yaml, key, reason: reason);
    }

    [Fact]
    public void Validate_CodeContractNullPolicies_FailNamingTheKey()
    {
        var noLeak = new MemoryContract { LeakDetection = null!, Modules = [new ModuleContract { Name = "a" }] };
        var noDump = new MemoryContract { Responses = new ResponsePolicy { Dump = null! }, Modules = [new ModuleContract { Name = "a" }] };

        Names(Assert.Throws<MemoryContractException>(() => MemoryContractValidator.Validate(noLeak)), "leak_detection");
        Names(Assert.Throws<MemoryContractException>(() => MemoryContractValidator.Validate(noDump)), "responses.dump");
    }

    [Fact]
    public void Validate_CodeContractMinGrowthZero_FailsNamingTheKey()
    {
        var contract = new MemoryContract { LeakDetection = new LeakDetectionPolicy { MinGrowthBytes = 0 }, Modules = [new ModuleContract { Name = "a" }] };

        Names(Assert.Throws<MemoryContractException>(() => MemoryContractValidator.Validate(contract)), "leak_detection.min_growth_mb", reason: "greater than 0");
    }

    [Fact]
    public void Source_ModulesOptionNarrowsTheContract_KeepsLeakDetectionAndDump()
    {
        var services = new ServiceCollection()
            .AddMemoryContracts(o =>
            {
                o.Contract = new MemoryContract
                {
                    LeakDetection = new LeakDetectionPolicy { Enabled = false, FullGcs = 9 },
                    Responses = new ResponsePolicy { Dump = new DumpPolicy { MaxFiles = 7 } },
                    Modules = [new ModuleContract { Name = "a" }, new ModuleContract { Name = "b" }],
                };
                o.Modules.Add("a");
            })
            .BuildServiceProvider();

        var current = services.GetRequiredService<MemoryContractSource>().Current;

        Assert.Single(current.Modules);
        Assert.False(current.LeakDetection.Enabled);
        Assert.Equal(9, current.LeakDetection.FullGcs);
        Assert.Equal(7, current.Responses.Dump.MaxFiles);
    }

    [Fact]
    public void BuiltInResponders_Dump_IsBuiltInAndLeavesNothingToUndo()
    {
        Assert.True(BuiltInResponders.IsBuiltIn("dump"));
        Assert.True(BuiltInResponders.LeavesNothingToUndo("dump"));
        Assert.Empty(MemoryContract.Parse(OneModule + "\nresponses:\n  high: [dump]\n").CustomResponders);
    }
}
