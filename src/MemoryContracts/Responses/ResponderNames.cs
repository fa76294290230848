namespace MemoryContracts;

/// <summary>The names of the built-in responders, as written in the contract's <c>responses</c> lists.</summary>
internal static class ResponderNames
{
    public const string Alert = "alert";
    public const string TrimCaches = "trim_caches";
    public const string TightenGc = "tighten_gc";
    public const string CompactGc = "compact_gc";
    public const string ShedRequests = "shed_requests";
    public const string Snapshot = "snapshot";
    public const string QuietLogs = "quiet_logs";
}
