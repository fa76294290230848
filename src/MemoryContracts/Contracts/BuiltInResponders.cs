namespace MemoryContracts;

/// <summary>The names of the responders MemoryContracts brings (DESIGN §4), as used in <c>responses</c>.</summary>
internal static class BuiltInResponders
{
    public const string Alert = "alert";
    public const string TrimCaches = "trim_caches";
    public const string TightenGc = "tighten_gc";
    public const string CompactGc = "compact_gc";
    public const string ShedRequests = "shed_requests";
    public const string Snapshot = "snapshot";
    public const string QuietLogs = "quiet_logs";
    public const string Dump = "dump";
    public const string DrainConnections = "drain_connections";

    public const string TrimNative = TrimNativeResponder.ResponderName;

    public static IReadOnlyList<string> All { get; } = [Alert, TrimCaches, TightenGc, CompactGc, ShedRequests, Snapshot, QuietLogs, Dump, TrimNative, DrainConnections];

    public static bool IsBuiltIn(string name) => All.Contains(name, StringComparer.Ordinal);

    /// <summary>
    /// Whether <paramref name="name"/> is a built-in responder that acts once and leaves nothing in force
    /// (a log line, a trim, an induced collection, a file, a heap dump), so a contract that stops naming it has nothing
    /// to undo. Every other responder (built in or custom) is told to undo when it stops being in force.
    /// </summary>
    public static bool LeavesNothingToUndo(string name) => name is Alert or TrimCaches or CompactGc or Snapshot or Dump or TrimNative;
}
