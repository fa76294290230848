namespace MemoryContracts.Tests.Docs;

/// <summary>What docs/code.md says about checking a contract in CI with MemoryContract.Load and Parse.</summary>
public sealed class CodeRecipeTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mc-docs-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Load_BadFile_ThrowsNamingFileLineColumnAndKey()
    {
        var path = Path.Combine(_directory, "memory_contract.yaml");
        File.WriteAllText(path, "version: v1\nmodules:\n  - name: catalog\n    max_heep_mb: 100\n");

        var error = Assert.Throws<MemoryContractException>(() => MemoryContract.Load(path));

        Assert.Equal(path, error.FilePath);
        Assert.Equal((4, 5), (error.Line, error.Column));
        Assert.Equal("modules[0].max_heep_mb", error.Key);
        Assert.Contains("did you mean 'max_heap_mb'?", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TheRepositorysContract_IsValidAndHasACoreModule()
    {
        var contract = MemoryContract.Load(Path.Combine(Contracts.ContractAssert.RepositoryRoot(), "memory_contract.yaml"));

        Assert.Contains(contract.Modules, m => m.Core);
        Assert.All(contract.Modules, m => Assert.True(m.MaxHeapBytes is not null || m.MaxHeapPercent is not null, $"{m.Name} has no heap budget"));
    }

    [Fact]
    public void Parse_CustomResponderName_AcceptedTheRegistryIsCheckedAtStartUp()
    {
        var contract = MemoryContract.Parse("modules:\n  - name: app\nresponses:\n  high: [alert, pause_batch_jobs]\n");

        Assert.Equal(["alert", "pause_batch_jobs"], contract.Responses.High);
    }
}
