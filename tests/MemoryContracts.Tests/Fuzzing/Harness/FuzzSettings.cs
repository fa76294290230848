using System.Globalization;

namespace MemoryContracts.Tests.Fuzzing;

/// <summary>
/// How much the fuzz tests run and from which seed, from the environment: CI runs the default counts
/// from a fixed seed (reproducible); <c>MEMORY_CONTRACTS_FUZZ_SCALE=20</c> runs twenty times as many
/// inputs, <c>MEMORY_CONTRACTS_FUZZ_SEED</c> starts from another seed (decimal or 0x hex), and
/// <c>MEMORY_CONTRACTS_FUZZ_REPORT</c> names a file each test appends its figures to (bench/fuzz.sh).
/// </summary>
internal static class FuzzSettings
{
    public const string SeedVariable = "MEMORY_CONTRACTS_FUZZ_SEED";
    public const string ScaleVariable = "MEMORY_CONTRACTS_FUZZ_SCALE";
    public const string ReportVariable = "MEMORY_CONTRACTS_FUZZ_REPORT";

    /// <summary>The seed CI uses: issue 15, 2026-12-02.</summary>
    public const ulong DefaultSeed = 15_2026_1202;

    private static readonly object ReportGate = new();

    /// <summary>Gets the seed every fuzz test starts from (each parser draws its own stream of it).</summary>
    public static ulong Seed { get; } = ReadSeed(Environment.GetEnvironmentVariable(SeedVariable));

    /// <summary>Gets the multiple of the CI counts to run (at least 1).</summary>
    public static int Scale { get; } = ReadScale(Environment.GetEnvironmentVariable(ScaleVariable));

    /// <summary>The number of inputs to run: <paramref name="ciInputs"/> times <see cref="Scale"/>.</summary>
    public static int Inputs(int ciInputs) => checked(ciInputs * Scale);

    /// <summary>Appends a line of figures to the report file, when one is named.</summary>
    public static void Report(string line)
    {
        if (Environment.GetEnvironmentVariable(ReportVariable) is { Length: > 0 } path)
        {
            lock (ReportGate)
            {
                File.AppendAllText(path, line + Environment.NewLine);
            }
        }
    }

    private static ulong ReadSeed(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return DefaultSeed;
        }

        text = text.Trim();
        return text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.Parse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)
            : ulong.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
    }

    private static int ReadScale(string? text) =>
        string.IsNullOrWhiteSpace(text) ? 1 : Math.Max(1, int.Parse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture));
}
