using Microsoft.AspNetCore.Http;

namespace MemoryContracts;

/// <summary>
/// Recognises the endpoints of <c>MapHealthChecks</c>. ASP.NET Core gives them no metadata of their
/// own, only the display name <c>Health checks</c> (unless the app renames them with
/// <c>WithDisplayName</c>); a renamed health endpoint should carry <c>DisableMemoryShedding()</c> or
/// live under a <c>responses.shed.exempt_paths</c> prefix.
/// </summary>
internal static class HealthCheckEndpoints
{
    /// <summary>The display name <c>MapHealthChecks</c> gives its endpoints.</summary>
    public const string DisplayName = "Health checks";

    public static bool IsHealthCheck(Endpoint endpoint) =>
        string.Equals(endpoint.DisplayName, DisplayName, StringComparison.Ordinal);
}
