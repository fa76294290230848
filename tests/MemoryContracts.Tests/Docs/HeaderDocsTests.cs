using System.Reflection;
using System.Text.RegularExpressions;

namespace MemoryContracts.Tests.Docs;

/// <summary>docs/headers.md names every header of <see cref="MemoryHeaderNames"/>, and the manual names no X-Memory-* header that does not exist.</summary>
public sealed partial class HeaderDocsTests
{
    [Fact]
    public void HeadersDoc_NamesEveryHeaderConstant()
    {
        var doc = MarkdownFile.Load("docs/headers.md");
        var names = typeof(MemoryHeaderNames).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

        Assert.True(names.Count >= 5);
        Assert.All(names, name => Assert.Contains($"`{name}", doc.Text, StringComparison.Ordinal));
    }

    [Fact]
    public void Manual_XMemoryHeadersItNames_Exist()
    {
        var known = typeof(MemoryHeaderNames).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

        var named = MarkdownFile.Manual().SelectMany(f => XMemoryHeader().Matches(f.Text).Select(m => (File: f.RelativePath, Header: m.Value))).ToList();

        Assert.NotEmpty(named);
        Assert.All(named, n => Assert.True(known.Contains(n.Header), $"{n.File} names {n.Header}, which is no header of MemoryHeaderNames"));
    }

    /// <summary>X-Memory-Usage and friends; not the wildcard "X-Memory-*".</summary>
    [GeneratedRegex(@"X-Memory-[A-Za-z]+")]
    private static partial Regex XMemoryHeader();
}
