namespace MemoryContracts;

/// <summary>
/// Reads the process's memory. The default reads the .NET GC; register your own in DI before
/// <c>AddMemoryContracts</c> to replace it.
/// </summary>
public interface IMemorySampler
{
    /// <summary>Takes one sample. Called from the guard's timer, never concurrently; must be cheap (microseconds).</summary>
    /// <returns>The sample.</returns>
    MemorySample Sample();
}
