namespace MemoryContracts.Tests.Examples;

/// <summary>
/// Tests that grade the real heap of this process: they run alone, after the parallel tests, so no
/// other test's allocations move the numbers they read.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAlone
{
    public const string Name = "Real memory (alone)";
}
