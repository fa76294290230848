namespace MemoryContracts;

/// <summary>Writes a dump of the process to a file (the <c>dump</c> response's seam for tests).</summary>
internal interface IDumpWriter
{
    /// <summary>Writes the dump into <paramref name="path"/>, an empty file that already exists.</summary>
    /// <param name="path">The absolute path of the dump file.</param>
    /// <param name="cancellationToken">Signalled when the host stops.</param>
    /// <returns>A task that completes when the dump is written.</returns>
    Task WriteAsync(string path, CancellationToken cancellationToken);
}
