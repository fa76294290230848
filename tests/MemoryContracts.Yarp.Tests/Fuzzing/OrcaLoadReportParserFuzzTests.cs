using System.Globalization;
using CsCheck;
using MemoryContracts.Tests.Fuzzing;
using Xunit.Abstractions;

namespace MemoryContracts.Yarp.Tests.Fuzzing;

/// <summary>
/// <see cref="OrcaLoadReportParser"/> under any <c>endpoint-load-metrics</c> values: a well-formed TEXT
/// report reads back exactly (its last <c>application_utilization</c> and <c>mem_utilization</c>), every
/// utilization read is finite and not negative (or absent), anything else is ignored; nothing throws,
/// no value takes more than <see cref="Bound"/>.
/// </summary>
public sealed class OrcaLoadReportParserFuzzTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromMilliseconds(5);

    private static readonly Gen<double> Utilization = Gen.Frequency(
        (4, Gen.Double[0, 1]),
        (1, Gen.Double[0, 1e300]),
        (1, Gen.OneOf(0d, 1d, double.Epsilon, 1e-320, double.MaxValue, 0.68)));

    private static readonly Gen<(string Name, double Value)> Entry = Gen.Select(
        Gen.Frequency((3, Gen.OneOf("application_utilization", "mem_utilization", "cpu_utilization", "rps_fractional", "eps")), (1, Gen.String[Gen.Char["abz_.-09"], 1, 20]), (1, Gen.OneOf("named_metrics.foo", "Application_Utilization"))),
        Utilization);

    /// <summary>A report, and what it must read as (<see langword="null"/>: unknown, in range when it parses).</summary>
    private static readonly Gen<(string Text, OrcaLoadReport? Expected)> Reports = Gen.OneOf(
        Gen.Select(Entry.Array[1, 8], Gen.OneOf(",", ", ", " ,", ",\t", " , ")).Select((entries, separator) =>
        {
            var text = "TEXT " + string.Join(separator, entries.Select(e => e.Name + "=" + e.Value.ToString("R", CultureInfo.InvariantCulture)));
            var application = entries.LastOrDefault(e => e.Name == "application_utilization", (Name: "", Value: double.NaN)).Value;
            var memory = entries.LastOrDefault(e => e.Name == "mem_utilization", (Name: "", Value: double.NaN)).Value;
            return (text, text.Length <= OrcaLoadReportParser.MaxLength ? new OrcaLoadReport(application, memory) : (OrcaLoadReport?)null);
        }),
        Gen.Select(Entry.Array[1, 8], Gen.Int[0, 200], HeaderGenerators.Garbage).Select((entries, at, junk) =>
        {
            var text = "TEXT " + string.Join(", ", entries.Select(e => e.Name + "=" + e.Value.ToString("R", CultureInfo.InvariantCulture)));
            return (text.Insert(at % (text.Length + 1), junk), (OrcaLoadReport?)null);
        }),
        Gen.Select(Gen.OneOf("TEXT ", "TEXT", "text ", "JSON ", "BIN ", "TEXT  ", " TEXT "), HeaderGenerators.Garbage).Select((prefix, rest) => (prefix + rest, (OrcaLoadReport?)null)),
        Gen.Int[4_000, 5_000].Select(n => ("TEXT mem_utilization=" + new string('0', n) + "5", (OrcaLoadReport?)null)),
        HeaderGenerators.Garbage.Select(g => (g, (OrcaLoadReport?)null)));

    [Fact]
    public void TryParse_AnyValue_ReadsWellFormedReportsExactlyAndNothingOutOfRange()
    {
        var figures = FuzzRunner.Run(
            output, "ORCA endpoint-load-metrics (gateway)", FuzzSettings.Inputs(60_000), Reports,
            report => (OrcaLoadReportParser.TryParse(report.Text, out var parsed), parsed),
            (report, outcome) =>
            {
                var (parsed, read) = outcome.Value;
                if (report.Expected is { } expected)
                {
                    Assert.True(parsed);
                    Assert.Equal(expected, read);
                }

                if (report.Text.Length > OrcaLoadReportParser.MaxLength)
                {
                    Assert.False(parsed);
                }

                if (!parsed)
                {
                    return "ignored";
                }

                Assert.True(double.IsNaN(read.ApplicationUtilization) || (double.IsFinite(read.ApplicationUtilization) && read.ApplicationUtilization >= 0), read.ToString());
                Assert.True(double.IsNaN(read.MemUtilization) || (double.IsFinite(read.MemUtilization) && read.MemUtilization >= 0), read.ToString());
                return "parsed";
            },
            Bound,
            r => FuzzRunner.Show(r.Text));

        Assert.True(figures.Count("parsed") > figures.Inputs / 5 && figures.Count("ignored") > figures.Inputs / 10, figures.ToString());
    }
}
