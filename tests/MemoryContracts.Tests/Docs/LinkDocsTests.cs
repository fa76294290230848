using System.Text.RegularExpressions;
using MemoryContracts.Tests.Contracts;

namespace MemoryContracts.Tests.Docs;

/// <summary>Every relative link of the manual leads to a file of the repository, and every docs/ page is linked from the README.</summary>
public sealed partial class LinkDocsTests
{
    [Fact]
    public void Manual_RelativeLinks_LeadToExistingFiles()
    {
        var root = ContractAssert.RepositoryRoot();
        var broken = new List<string>();
        foreach (var file in MarkdownFile.Manual())
        {
            var directory = Path.GetDirectoryName(Path.Combine(root, file.RelativePath))!;
            foreach (Match link in MarkdownLink().Matches(file.Text))
            {
                var target = link.Groups["target"].Value.Split('#')[0];
                if (target.Length == 0 || target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
                {
                    continue;
                }

                var full = Path.GetFullPath(Path.Combine(directory, target));
                if (!File.Exists(full) && !Directory.Exists(full))
                {
                    broken.Add($"{file.RelativePath}: {link.Value}");
                }
            }
        }

        Assert.Empty(broken);
    }

    [Fact]
    public void Readme_LinksEveryDocsPage()
    {
        var readme = MarkdownFile.Load("README.md").Text;
        var pages = Directory.GetFiles(Path.Combine(ContractAssert.RepositoryRoot(), "docs"), "*.md").Select(Path.GetFileName).ToList();

        Assert.NotEmpty(pages);
        Assert.All(pages, page => Assert.Contains($"(docs/{page}", readme, StringComparison.Ordinal));
    }

    [GeneratedRegex(@"\[[^\]]*\]\((?<target>[^)\s]+)\)")]
    private static partial Regex MarkdownLink();
}
