using System.Text.RegularExpressions;
using MemoryContracts.Tests.Contracts;

namespace MemoryContracts.Tests.Docs;

/// <summary>
/// One Markdown file of the manual (README.md or a file of docs/), read as lines: its fenced code
/// blocks and the rows of its tables.
/// </summary>
internal sealed partial class MarkdownFile
{
    /// <summary>The marker that lets the C# block right after it go uncompiled (keep such blocks rare).</summary>
    public const string FragmentMarker = "<!-- snippet: fragment -->";

    private MarkdownFile(string relativePath, string[] lines)
    {
        RelativePath = relativePath;
        Lines = lines;
    }

    /// <summary>Gets the path from the repository root, with forward slashes (<c>docs/contract.md</c>).</summary>
    public string RelativePath { get; }

    public string[] Lines { get; }

    public string Text => string.Join('\n', Lines);

    /// <summary>README.md and every docs/*.md, in a stable order.</summary>
    public static IReadOnlyList<MarkdownFile> Manual()
    {
        var root = ContractAssert.RepositoryRoot();
        var paths = new List<string> { "README.md" };
        paths.AddRange(Directory.GetFiles(Path.Combine(root, "docs"), "*.md")
            .Select(p => "docs/" + Path.GetFileName(p))
            .Order(StringComparer.Ordinal));
        return [.. paths.Select(Load)];
    }

    public static MarkdownFile Load(string relativePath)
    {
        var full = Path.Combine(ContractAssert.RepositoryRoot(), relativePath.Replace('/', Path.DirectorySeparatorChar));
        return new MarkdownFile(relativePath, File.ReadAllLines(full));
    }

    /// <summary>The fenced code blocks, with their language (the info string's first word) and 1-based first line.</summary>
    public IEnumerable<CodeBlock> CodeBlocks()
    {
        for (var i = 0; i < Lines.Length; i++)
        {
            var open = Fence().Match(Lines[i]);
            if (!open.Success)
            {
                continue;
            }

            var indent = open.Groups["indent"].Value.Length;
            var fence = open.Groups["fence"].Value;
            var language = open.Groups["info"].Value.Trim().Split(' ', 2)[0];
            var previous = i - 1;
            while (previous >= 0 && string.IsNullOrWhiteSpace(Lines[previous]))
            {
                previous--;
            }

            var fragment = previous >= 0 && Lines[previous].Trim() == FragmentMarker;
            var body = new List<string>();
            var j = i + 1;
            for (; j < Lines.Length; j++)
            {
                if (Lines[j].Trim().StartsWith(fence, StringComparison.Ordinal) && Lines[j].Trim().Trim(fence[0]).Length == 0)
                {
                    break;
                }

                var line = Lines[j];
                var strip = 0;
                while (strip < indent && strip < line.Length && line[strip] == ' ')
                {
                    strip++;
                }

                body.Add(line[strip..]);
            }

            yield return new CodeBlock(RelativePath, i + 1, language, string.Join('\n', body), fragment);
            i = j;
        }
    }

    /// <summary>
    /// The rows of the tables whose header's first cell is <paramref name="firstHeader"/> (<c>| key | …</c>)
    /// and whose first cell is one backticked name (<c>| `sampling.interval_ms` | …</c>): the name, the
    /// row's cells and its 1-based line.
    /// </summary>
    public IEnumerable<(string Name, string[] Cells, int Line)> TableRows(string firstHeader)
    {
        var inCode = false;
        string? header = null;
        for (var i = 0; i < Lines.Length; i++)
        {
            var line = Lines[i].Trim();
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                inCode = !inCode;
            }

            if (inCode || !line.StartsWith('|'))
            {
                header = null;
                continue;
            }

            var cells = UnescapedPipe().Split(line.Trim('|')).Select(c => c.Trim()).ToArray();
            if (header is null)
            {
                header = cells[0];
                continue;
            }

            var first = BacktickedName().Match(cells[0]);
            if (string.Equals(header, firstHeader, StringComparison.OrdinalIgnoreCase) && first.Success)
            {
                yield return (first.Groups[1].Value, cells, i + 1);
            }
        }
    }

    /// <summary>Gets the text of the first backticked span in <paramref name="cell"/>, or <see langword="null"/>.</summary>
    public static string? FirstBacktickedSpan(string cell)
    {
        var match = BacktickedSpan().Match(cell);
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex(@"^(?<indent> *)(?<fence>`{3,}|~{3,})(?<info>[^`]*)$")]
    private static partial Regex Fence();

    [GeneratedRegex(@"^`([^`]+)`$")]
    private static partial Regex BacktickedName();

    [GeneratedRegex(@"(?<!\\)\|")]
    private static partial Regex UnescapedPipe();

    [GeneratedRegex(@"`([^`]+)`")]
    private static partial Regex BacktickedSpan();
}

/// <summary>A fenced code block of the manual.</summary>
internal sealed record CodeBlock(string File, int Line, string Language, string Code, bool IsFragment)
{
    public bool IsCSharp => Language is "csharp" or "cs" or "c#" or "C#";

    public override string ToString() => $"{File}:{Line}";
}
