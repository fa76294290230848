using MemoryContracts.Tests.Contracts;
using MemoryContracts.Tests.Docs;

namespace MemoryContracts.Tests.Fuzzing;

/// <summary>
/// The repository's real contracts, the seeds the mutations start from: memory_contract.yaml,
/// bench/LeakyService/*.yaml, every other contract file outside bin/obj, and every YAML block of
/// README.md and docs/*.md (some are fragments: they are refused, with a key, which is fine too).
/// </summary>
internal static class ContractCorpus
{
    public static IReadOnlyList<string> Seeds { get; } = Load();

    private static string[] Load()
    {
        var root = ContractAssert.RepositoryRoot();
        var files = Directory.EnumerateFiles(root, "*.yaml", SearchOption.AllDirectories)
            .Where(path => !path.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or ".git" or "node_modules"))
            .Order(StringComparer.Ordinal)
            .Select(File.ReadAllText);
        var blocks = MarkdownFile.Manual()
            .SelectMany(file => file.CodeBlocks())
            .Where(block => block.Language is "yaml" or "yml")
            .Select(block => block.Code);
        return [.. files.Concat(blocks).Distinct(StringComparer.Ordinal)];
    }
}
