using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MemoryContracts.Tests.Docs;

/// <summary>
/// Compiles one C# block of the manual the way a reader's ASP.NET Core project would: C# latest,
/// nullable on, the global usings of the Web SDK (and nothing else: a block that needs
/// <c>MemoryContracts</c> or another namespace says <c>using</c>), against the shared framework and
/// every package the test process loads (MemoryContracts, MemoryContracts.Yarp, OpenTelemetry, Polly,
/// YARP). A block with top-level statements is compiled as a program, any other as a library. Only the
/// public API is reachable: the snippet's assembly is no friend of the library.
/// </summary>
internal static class SnippetCompiler
{
    /// <summary>The implicit global usings of <c>Microsoft.NET.Sdk.Web</c>.</summary>
    public static readonly string[] WebSdkUsings =
    [
        "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http",
        "System.Net.Http.Json", "System.Threading", "System.Threading.Tasks",
        "Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Http",
        "Microsoft.AspNetCore.Routing", "Microsoft.Extensions.Configuration",
        "Microsoft.Extensions.DependencyInjection", "Microsoft.Extensions.Hosting", "Microsoft.Extensions.Logging",
    ];

    /// <summary>Assemblies of this repository's tests and examples: a snippet must not lean on them.</summary>
    private static readonly HashSet<string> Excluded = new(StringComparer.OrdinalIgnoreCase)
    {
        "MemoryContracts.Tests", "ShopApi", "InventoryService", "testhost",
    };

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    /// <summary>Compiles <paramref name="code"/>; returns its errors (empty when it compiles).</summary>
    public static IReadOnlyList<Diagnostic> Errors(string code, string name = "snippet")
    {
        var tree = CSharpSyntaxTree.ParseText(code, ParseOptions, path: name + ".cs");
        var usings = CSharpSyntaxTree.ParseText(
            string.Concat(WebSdkUsings.Select(u => $"global using global::{u};\n")), ParseOptions, path: "GlobalUsings.g.cs");
        var isProgram = tree.GetCompilationUnitRoot().Members.OfType<GlobalStatementSyntax>().Any();
        var options = new CSharpCompilationOptions(isProgram ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary)
            .WithNullableContextOptions(NullableContextOptions.Enable)
            .WithOptimizationLevel(OptimizationLevel.Debug);
        var compilation = CSharpCompilation.Create("Snippet_" + Guid.NewGuid().ToString("N"), [usings, tree], References.Value, options);
        return [.. compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)];
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        // The test host runs with the test project's deps.json: its trusted platform assemblies are the
        // shared frameworks (Microsoft.NETCore.App, Microsoft.AspNetCore.App) and every package reference.
        var paths = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .ToList();
        paths.Add(typeof(MemoryContractsOptions).Assembly.Location);
        paths.Add(typeof(MemoryPressureBalancingOptions).Assembly.Location);
        var builder = ImmutableArray.CreateBuilder<MetadataReference>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in paths)
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (Excluded.Contains(name) || !seen.Add(name) || !File.Exists(path))
            {
                continue;
            }

            builder.Add(MetadataReference.CreateFromFile(path));
        }

        return builder.ToImmutable();
    }
}
