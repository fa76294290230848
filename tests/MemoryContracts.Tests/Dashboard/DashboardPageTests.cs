using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace MemoryContracts.Tests.Dashboard;

public sealed partial class DashboardPageTests
{
    [GeneratedRegex(@"\b(?:src|href)\s*=\s*[""']?\s*(?:[a-z]+:)?//", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();

    [GeneratedRegex(@"<script>(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex InlineScript();

    [Fact]
    public void Instance_EmbeddedPage_LoadsNothingFromElsewhere()
    {
        var html = Encoding.UTF8.GetString(DashboardPage.Instance.Html.Span);

        Assert.Contains("id=\"level\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(ExternalReference(), html);
        Assert.DoesNotContain("<script src", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link rel=\"stylesheet\"", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Instance_ContentSecurityPolicy_AllowsOnlyThePagesOwnScriptByHash()
    {
        var page = DashboardPage.Instance;
        var script = InlineScript().Match(Encoding.UTF8.GetString(page.Html.Span)).Groups[1].Value;
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script)));

        Assert.StartsWith("default-src 'none';", page.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.Contains($"script-src 'sha256-{hash}';", page.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", page.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.Contains("style-src 'unsafe-inline'", page.ContentSecurityPolicy, StringComparison.Ordinal);
        Assert.DoesNotContain("script-src 'unsafe-inline'", page.ContentSecurityPolicy, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<html><body>no script</body></html>")]
    [InlineData("<script>a()</script><script>b()</script>")]
    public void FromHtml_NotExactlyOneInlineScript_Throws(string html) =>
        Assert.Throws<InvalidOperationException>(() => DashboardPage.FromHtml(html));
}
