namespace MemoryContracts.Tests.Browser;

/// <summary>
/// A fact that needs Debian's chromium at <see cref="ExecutablePath"/> (Playwright's own browser
/// download is never used); skipped, saying how to install it, where it is missing.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(ExecutablePath))
        {
            Skip = $"{ExecutablePath} is missing: install it with 'apt-get update && apt-get install -y --no-install-recommends chromium' (.ci/run does so as root).";
        }
    }
}
