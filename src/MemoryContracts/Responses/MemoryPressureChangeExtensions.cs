namespace MemoryContracts;

/// <summary>Helpers for built-in responders reading a <see cref="MemoryPressureChange"/>.</summary>
internal static class MemoryPressureChangeExtensions
{
    /// <summary>Whether <paramref name="responder"/> was among the responses of the previous level.</summary>
    public static bool WasNamedForPreviousLevel(this MemoryPressureChange change, string responder) =>
        change.Contract.Responses.For(change.PreviousLevel).Contains(responder, StringComparer.Ordinal);

    /// <summary>Module levels as text for logs, e.g. <c>catalog=High, checkout=Normal</c>.</summary>
    public static string DescribeModules(this MemoryPressureSnapshot snapshot) =>
        snapshot.Modules.Count == 0 ? "none" : string.Join(", ", snapshot.Modules.Select(m => $"{m.Module}={m.Level} (heap {m.HeapRatio:P0})"));
}
