using System.Globalization;
using System.Text;
using System.Text.Json;
using CsCheck;
using Xunit.Abstractions;

namespace MemoryContracts.Tests.Fuzzing;

/// <summary>
/// The contract reader (<see cref="MemoryContract.Parse"/>, <see cref="MemoryContract.Load"/>) under
/// 48,000 generated inputs (times <see cref="FuzzSettings.Scale"/>): each either parses (and then
/// compiles to a plan, and reads again to the same contract and plan) or is refused with a
/// <see cref="MemoryContractException"/> naming a key or a line; never another exception, never more
/// than <see cref="Bound"/> for one input.
/// </summary>
public sealed class ContractReaderFuzzTests(ITestOutputHelper output)
{
    /// <summary>
    /// The longest one contract may take to read or refuse: 100 ms, plus 4 ms for every 1,000 characters.
    /// Real contracts take well under a millisecond; the generated ones go up to about 90,000 characters
    /// (1,500 modules), which YamlDotNet reads in time that grows with the text (48 ms for 63,000 characters
    /// on a quiet machine, 123 ms on a loaded CI machine, in a Debug build). The allowance per character
    /// keeps that apart from a reader whose time grows faster than its input, which is what this looks for.
    /// </summary>
    private static TimeSpan Bound(int characters) => TimeSpan.FromMilliseconds(100 + (4.0 * characters / 1_000));

    [Fact]
    public void Parse_MutatedRealContracts_ParseOrAreRefusedNamingKeyOrLine()
    {
        var figures = Run("contract reader: mutated real contracts", 34_000, ContractGenerators.Mutated);

        // The mutations keep some contracts valid and break most: both paths are exercised.
        Assert.True(figures.Count("parsed") > figures.Inputs / 50, figures.ToString());
        Assert.True(figures.Count("refused") > figures.Inputs / 2, figures.ToString());
    }

    [Fact]
    public void Parse_RandomText_IsRefusedNamingKeyOrLine()
    {
        var figures = Run("contract reader: random text and bytes", 8_000, ContractGenerators.RandomText);

        Assert.True(figures.Count("refused") > figures.Inputs * 9 / 10, figures.ToString());
    }

    [Fact]
    public void Parse_DeepAndWideShapes_ParseOrAreRefusedQuickly()
    {
        var figures = Run("contract reader: deep and wide shapes", 2_000, ContractGenerators.Shapes);

        Assert.True(figures.Count("parsed") > 0 && figures.Count("refused") > 0, figures.ToString());
    }

    [Fact]
    public void Parse_GeneratedContracts_ParseToTheSamePlanTwiceOrAreRefused()
    {
        var figures = Run("contract reader: generated contracts", 3_500, ContractGenerators.Generated);

        Assert.True(figures.Count("parsed") > figures.Inputs / 50, figures.ToString());
    }

    [Fact]
    public void Load_RandomBytesInAFile_ParseOrAreRefusedNamingKeyLineOrTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mc-fuzz-{Guid.NewGuid():N}.yaml");
        var bytes = Gen.OneOf(
            Gen.Byte.Array[0, 400],
            Gen.Select(Gen.Int[0, ContractCorpus.Seeds.Count - 1], Gen.Select(Gen.Int[0, int.MaxValue], Gen.Byte).Array[0, 8], Gen.Int[0, 3])
                .Select((seed, flips, encoding) =>
                {
                    var text = ContractCorpus.Seeds[seed];
                    var encoded = encoding switch
                    {
                        0 => Encoding.UTF8.GetBytes(text),
                        1 => [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)],
                        2 => [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(text)],
                        _ => Encoding.Latin1.GetBytes(text + "\u00E9\u00FF"),
                    };
                    foreach (var (at, value) in flips)
                    {
                        if (encoded.Length > 0)
                        {
                            encoded[at % encoded.Length] = value;
                        }
                    }

                    return encoded;
                }));
        try
        {
            var figures = FuzzRunner.Run(
                output, "contract reader: bytes in a file (MemoryContract.Load, writing the file included)", FuzzSettings.Inputs(500), bytes,
                content =>
                {
                    File.WriteAllBytes(path, content);
                    return MemoryContract.Load(path);
                },
                (content, outcome) => Judge(Encoding.UTF8.GetString(content), outcome, path),
                content => Bound(content.Length));

            Assert.True(figures.Count("parsed") > 0 && figures.Count("refused") > 0, figures.ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>A contract's every public value, and the plan compiled from it.</summary>
    internal static string Fingerprint(MemoryContract contract)
    {
        var plan = new ContractPlan(contract);
        return JsonSerializer.Serialize(contract) + string.Create(CultureInfo.InvariantCulture,
            $"|plan {string.Join(',', plan.Modules.Select(m => m.Name))} {plan.ProcessAllocBudget:R} {plan.ProcessPauseBudgetSeconds:R} {plan.ProcessGcTriggerRatio:R} {string.Join(',', plan.ShedsAt)} {string.Join(',', plan.DrainsAt)} {plan.IsShadow}");
    }

    /// <summary>
    /// The property: parsed (a plan compiles, and the text reads again to the same contract and plan),
    /// or refused with a <see cref="MemoryContractException"/> whose message names a key or a line.
    /// </summary>
    private static string Judge(string yaml, FuzzOutcome<MemoryContract> outcome, string? filePath = null)
    {
        if (outcome.Error is null)
        {
            var first = Fingerprint(outcome.Value!);
            var again = filePath is null ? MemoryContract.Parse(yaml) : MemoryContract.Load(filePath);
            Assert.Equal(first, Fingerprint(again));
            return "parsed";
        }

        if (outcome.Error is not MemoryContractException error)
        {
            throw new Xunit.Sdk.XunitException($"unexpected {outcome.Error.GetType().FullName}: {outcome.Error}");
        }

        Assert.Equal(filePath, error.FilePath);
        if (error.Key is null && error.Line is null)
        {
            // Only what is refused before the text is read names neither: its size, or a file that is not UTF-8.
            Assert.True(
                error.Reason.Contains("1 MiB", StringComparison.Ordinal) || (filePath is not null && error.Reason.Contains("UTF-8", StringComparison.Ordinal)),
                $"the error names neither a key nor a line: {error.Message}");
            return "refused";
        }

        if (error.Key is not null)
        {
            Assert.Contains($"(key '{error.Key}')", error.Message, StringComparison.Ordinal);
        }

        if (error.Line is { } line)
        {
            Assert.Contains($"at line {line.ToString(CultureInfo.InvariantCulture)}", error.Message, StringComparison.Ordinal);
            Assert.InRange(line, 1, int.MaxValue);
            Assert.True(error.Column is null or >= 1, error.Message);
        }

        return "refused";
    }

    private FuzzFigures Run(string parser, int ciInputs, Gen<string> inputs) =>
        FuzzRunner.Run(output, parser, FuzzSettings.Inputs(ciInputs), inputs, MemoryContract.Parse, (yaml, outcome) => Judge(yaml, outcome), yaml => Bound(yaml.Length));
}
