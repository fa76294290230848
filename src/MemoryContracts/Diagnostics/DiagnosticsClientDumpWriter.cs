using Microsoft.Diagnostics.NETCore.Client;

namespace MemoryContracts;

/// <summary>
/// The default <see cref="IDumpWriter"/>: asks the runtime, over its diagnostics IPC channel
/// (<see cref="DiagnosticsClient.WriteDumpAsync(DumpType, string, WriteDumpFlags, CancellationToken)"/>),
/// to write a dump with <c>createdump</c>. <see cref="DumpType.WithHeap"/> by default: the managed
/// heap is in it, for <c>dotnet-dump analyze</c> (<c>dumpheap -stat</c>, <c>gcroot</c>). The process is
/// suspended while the dump is written (about a second per few hundred MB of heap). Needs the
/// diagnostics channel (<c>DOTNET_EnableDiagnostics</c> not 0).
/// </summary>
internal sealed class DiagnosticsClientDumpWriter : IDumpWriter
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="type">The kind of dump.</param>
    /// <param name="processId">The process to dump; this process by default.</param>
    public DiagnosticsClientDumpWriter(DumpType type = DumpType.WithHeap, int? processId = null)
    {
        Type = type;
        ProcessId = processId ?? Environment.ProcessId;
    }

    /// <summary>Gets the kind of dump written.</summary>
    public DumpType Type { get; }

    /// <summary>Gets the process dumped.</summary>
    public int ProcessId { get; }

    public Task WriteAsync(string path, CancellationToken cancellationToken) =>
        new DiagnosticsClient(ProcessId).WriteDumpAsync(Type, path, WriteDumpFlags.None, cancellationToken);
}
