namespace MemoryContracts;

/// <summary>
/// Carries "the calling service is pressured: skip cache writes" from the middleware to module
/// caches along the request's async flow. Set only for requests that need it, so a request from an
/// unpressured caller pays nothing.
/// </summary>
internal static class CallerCacheBypass
{
    private static readonly object Marker = new();
    private static readonly AsyncLocal<object?> Flag = new();

    /// <summary>Gets a value indicating whether the current request's caller asked for cache writes to be skipped.</summary>
    public static bool IsActive => Flag.Value is not null;

    /// <summary>Marks the current async flow (the rest of this request) as bypassing cache writes.</summary>
    public static void Activate() => Flag.Value = Marker;

    /// <summary>Clears the mark for the current async flow.</summary>
    public static void Clear() => Flag.Value = null;
}
