namespace MemoryContracts;

/// <summary>Reads the values the <see cref="LeakDetector"/> judges, once per full collection.</summary>
internal interface ILeakSampler
{
    /// <summary>
    /// Reads the values after the newest full collection, when one completed since the last
    /// successful read.
    /// </summary>
    /// <param name="reading">The values read; <c>default</c> when the method returns <see langword="false"/>.</param>
    /// <returns><see langword="true"/> when a full collection completed since the last read.</returns>
    bool TryRead(out LeakReading reading);
}
