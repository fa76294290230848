using System.Security.Cryptography;
using System.Text;

namespace MemoryContracts;

/// <summary>
/// The dashboard's HTML page (an embedded resource with its script and style inline, nothing loaded
/// from elsewhere) and the <c>Content-Security-Policy</c> that lets only that page's own script run:
/// the script is allowed by its SHA-256 hash, styles inline, fetches to the same origin.
/// </summary>
internal sealed class DashboardPage
{
    /// <summary>The manifest name of the page (the <c>LogicalName</c> in the project file).</summary>
    public const string ResourceName = "MemoryContracts.Dashboard.dashboard.html";

    private const string ScriptOpen = "<script>";
    private const string ScriptClose = "</script>";

    private static readonly Lazy<DashboardPage> Embedded = new(LoadEmbedded);

    private DashboardPage(byte[] html, string contentSecurityPolicy)
    {
        Html = html;
        ContentSecurityPolicy = contentSecurityPolicy;
    }

    /// <summary>Gets the page shipped in the assembly.</summary>
    public static DashboardPage Instance => Embedded.Value;

    /// <summary>Gets the page, UTF-8.</summary>
    public ReadOnlyMemory<byte> Html { get; }

    /// <summary>Gets the page's <c>Content-Security-Policy</c>.</summary>
    public string ContentSecurityPolicy { get; }

    /// <summary>Builds the page and its policy from the page's text.</summary>
    /// <exception cref="InvalidOperationException">The page does not have exactly one inline <c>&lt;script&gt;</c> block.</exception>
    public static DashboardPage FromHtml(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var open = html.IndexOf(ScriptOpen, StringComparison.Ordinal);
        var close = open < 0 ? -1 : html.IndexOf(ScriptClose, open, StringComparison.Ordinal);
        if (open < 0 || close < 0 || html.IndexOf(ScriptOpen, close, StringComparison.Ordinal) >= 0)
        {
            throw new InvalidOperationException("The dashboard page must have exactly one inline <script> block.");
        }

        var script = html[(open + ScriptOpen.Length)..close];
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script)));
        var policy = "default-src 'none'; script-src 'sha256-" + hash + "'; style-src 'unsafe-inline'; "
            + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        return new DashboardPage(Encoding.UTF8.GetBytes(html), policy);
    }

    private static DashboardPage LoadEmbedded()
    {
        using var stream = typeof(DashboardPage).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The dashboard page (resource '{ResourceName}') is missing from the MemoryContracts assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return FromHtml(reader.ReadToEnd());
    }
}
