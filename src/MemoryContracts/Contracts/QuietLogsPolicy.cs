using Microsoft.Extensions.Logging;

namespace MemoryContracts;

/// <summary>
/// Which log categories the <c>quiet_logs</c> response quiets while it holds (<c>responses.quiet_logs</c>).
/// </summary>
public sealed class QuietLogsPolicy
{
    /// <summary>Gets the log category prefixes to quiet. The default value is empty.</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>Gets the minimum level those categories log at while quieted. The default value is <see cref="LogLevel.Warning"/>.</summary>
    public LogLevel Level { get; init; } = LogLevel.Warning;
}
