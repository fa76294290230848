using System.Diagnostics;

namespace MemoryContracts.Tests.Contracts;

/// <summary>Assertions shared by the contract tests.</summary>
internal static class ContractAssert
{
    /// <summary>A minimal valid contract body to build failing variants from.</summary>
    public const string OneModule = """
        modules:
          - name: catalog
            max_heap_mb: 100
        """;

    /// <summary>Asserts <paramref name="yaml"/> is refused naming <paramref name="key"/> (and the line and column when given).</summary>
    public static MemoryContractException Refused(string yaml, string key, int? line = null, int? column = null, string? reason = null)
    {
        var error = Assert.Throws<MemoryContractException>(() => MemoryContract.Parse(yaml));
        Names(error, key, line, column, reason);
        return error;
    }

    /// <summary>Asserts the error names the key (property and message), and the line and column when given.</summary>
    public static void Names(MemoryContractException error, string key, int? line = null, int? column = null, string? reason = null)
    {
        Assert.Equal(key, error.Key);
        Assert.Contains($"(key '{key}')", error.Message, StringComparison.Ordinal);
        if (line is not null)
        {
            Assert.Equal(line, error.Line);
            Assert.Contains($"line {line}", error.Message, StringComparison.Ordinal);
        }

        if (column is not null)
        {
            Assert.Equal(column, error.Column);
            Assert.Contains($"column {column}", error.Message, StringComparison.Ordinal);
        }

        if (reason is not null)
        {
            Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        }
    }

    /// <summary>Asserts <paramref name="yaml"/> is refused with a <see cref="MemoryContractException"/> in under a second.</summary>
    public static MemoryContractException RefusedQuickly(string yaml)
    {
        var watch = Stopwatch.StartNew();
        var error = Assert.Throws<MemoryContractException>(() => MemoryContract.Parse(yaml));
        watch.Stop();
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"refused in {watch.Elapsed.TotalMilliseconds} ms");
        return error;
    }

    /// <summary>The repository's root (the folder holding MemoryContracts.sln).</summary>
    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MemoryContracts.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("MemoryContracts.sln not found above " + AppContext.BaseDirectory);
    }
}
