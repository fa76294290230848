using System.Globalization;

namespace MemoryContracts;

/// <summary>The container memory limit moved (e.g. a Kubernetes in-place resize); null means no limit.</summary>
/// <param name="PreviousBytes">The limit before.</param>
/// <param name="LimitBytes">The limit now.</param>
internal readonly record struct ContainerLimitChange(long? PreviousBytes, long? LimitBytes)
{
    /// <summary>A limit for logs: <c>512 MB (536870912 bytes)</c>, or <c>none</c>.</summary>
    /// <param name="bytes">The limit.</param>
    /// <returns>The text.</returns>
    public static string Describe(long? bytes) =>
        bytes is { } b ? string.Create(CultureInfo.InvariantCulture, $"{b / (1024 * 1024)} MB ({b} bytes)") : "none";
}
