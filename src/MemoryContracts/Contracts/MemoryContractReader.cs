namespace MemoryContracts;

/// <summary>Reads contract YAML into a validated <see cref="MemoryContract"/>.</summary>
internal static class MemoryContractReader
{
    public static MemoryContract Read(string yaml, string? filePath) =>
        throw new MemoryContractException("The YAML reader is being written (issue 2).");

    public static MemoryContract ReadFile(string path) =>
        throw new MemoryContractException("The YAML reader is being written (issue 2).");
}
