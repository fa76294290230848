namespace MemoryContracts.Tests.Docs;

/// <summary>
/// Every C# block of README.md and docs/*.md compiles against the library, so a renamed or wrong API
/// in the manual fails here. A block may opt out only with <see cref="MarkdownFile.FragmentMarker"/>
/// on the line before it, and such blocks stay rare.
/// </summary>
public sealed class SnippetCompilationTests
{
    private const int MostFragments = 2;

    public static TheoryData<string> CSharpBlocks()
    {
        var data = new TheoryData<string>();
        foreach (var block in AllCSharpBlocks().Where(b => !b.IsFragment))
        {
            data.Add(block.ToString());
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CSharpBlocks))]
    public void Compile_CSharpBlockOfTheManual_HasNoErrors(string block)
    {
        var snippet = AllCSharpBlocks().Single(b => b.ToString() == block);

        var errors = SnippetCompiler.Errors(snippet.Code, block.Replace('/', '_').Replace(':', '_'));

        Assert.True(errors.Count == 0, $"{block} does not compile:\n" + string.Join('\n', errors.Select(e => e.ToString())) + "\n---\n" + snippet.Code);
    }

    [Fact]
    public void Manual_CSharpBlocks_AreFoundInTheReadmeAndTheDocs()
    {
        var blocks = AllCSharpBlocks();

        Assert.Contains(blocks, b => b.File == "README.md");
        Assert.True(blocks.Count(b => b.File.StartsWith("docs/", StringComparison.Ordinal)) >= 10, "fewer C# blocks in docs/ than expected: is the extraction broken?");
    }

    [Fact]
    public void Manual_FragmentMarkers_AreRareAndEachIsFollowedByACSharpBlock()
    {
        var markers = MarkdownFile.Manual().Sum(f => f.Lines.Count(l => l.Trim() == MarkdownFile.FragmentMarker));
        var fragments = AllCSharpBlocks().Count(b => b.IsFragment);

        Assert.Equal(markers, fragments);
        Assert.InRange(fragments, 0, MostFragments);
    }

    [Fact]
    public void Errors_WrongApiName_IsReported()
    {
        const string Code = """
            using MemoryContracts;
            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddMemoryContract();
            """;

        var errors = SnippetCompiler.Errors(Code);

        Assert.Contains(errors, e => e.Id == "CS1061" && e.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("AddMemoryContract", StringComparison.Ordinal));
    }

    [Fact]
    public void Errors_InternalType_IsNotReachable()
    {
        const string Code = """
            using MemoryContracts;
            var names = MemoryHeaderNames.Usage;
            """;

        Assert.NotEmpty(SnippetCompiler.Errors(Code));
    }

    [Fact]
    public void Errors_PublicApiWithUsings_Compiles()
    {
        const string Code = """
            using MemoryContracts;
            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddMemoryContracts();
            builder.Services.AddReverseProxy().AddMemoryContractsBalancing();
            var app = builder.Build();
            app.UseMemoryContracts();
            app.Run();
            """;

        Assert.Empty(SnippetCompiler.Errors(Code));
    }

    private static List<CodeBlock> AllCSharpBlocks() =>
        [.. MarkdownFile.Manual().SelectMany(f => f.CodeBlocks()).Where(b => b.IsCSharp)];
}
