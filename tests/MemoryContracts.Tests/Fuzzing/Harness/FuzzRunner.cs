using System.Diagnostics;
using System.Globalization;
using System.Text;
using CsCheck;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace MemoryContracts.Tests.Fuzzing;

/// <summary>
/// Runs a parser over generated inputs, one thread, reproducibly: the inputs are drawn in order from a
/// CsCheck <see cref="PCG"/> seeded with <see cref="FuzzSettings.Seed"/> and a stream named after the
/// parser. Each call is timed on its own (the generator and the checks are not), the first
/// <see cref="WarmupInputs"/> untimed. An input whose check throws, or that takes longer than the bound
/// (on its fastest of three more calls, so a scheduler pause is not taken for a slow parser), fails the
/// run: CsCheck then shrinks it from its seed and its message carries the shrunk input and the seed.
/// </summary>
internal static class FuzzRunner
{
    /// <summary>The first inputs, whose times are not recorded (JIT and first-use costs).</summary>
    public const int WarmupInputs = 200;

    /// <summary>How many inputs CsCheck tries when shrinking a failure.</summary>
    private const int ShrinkIterations = 2_000;

    /// <summary>Runs <paramref name="inputs"/> inputs; returns the figures, also written to the test output and the report file.</summary>
    /// <param name="output">The test's output.</param>
    /// <param name="parser">The parser's name (and the name of its random stream).</param>
    /// <param name="inputs">How many inputs.</param>
    /// <param name="gen">The inputs.</param>
    /// <param name="parse">The call timed: the parser on one input.</param>
    /// <param name="check">Judges what the parser did (throws when a property fails) and names the outcome, which is counted.</param>
    /// <param name="bound">The longest one call may take.</param>
    /// <param name="print">How an input is shown in a failure (default: escaped text).</param>
    public static FuzzFigures Run<T, TResult>(
        ITestOutputHelper output,
        string parser,
        int inputs,
        Gen<T> gen,
        Func<T, TResult> parse,
        Func<T, FuzzOutcome<TResult>, string> check,
        TimeSpan bound,
        Func<T, string>? print = null) =>
        Run(output, parser, inputs, gen, parse, check, _ => bound, print);

    /// <summary>Runs <paramref name="inputs"/> inputs, each with a bound of its own (for parsers whose fair time grows with the input); returns the figures.</summary>
    /// <param name="output">The test's output.</param>
    /// <param name="parser">The parser's name (and the name of its random stream).</param>
    /// <param name="inputs">How many inputs.</param>
    /// <param name="gen">The inputs.</param>
    /// <param name="parse">The call timed: the parser on one input.</param>
    /// <param name="check">Judges what the parser did (throws when a property fails) and names the outcome, which is counted.</param>
    /// <param name="boundFor">The longest one call on the given input may take.</param>
    /// <param name="print">How an input is shown in a failure (default: escaped text).</param>
    public static FuzzFigures Run<T, TResult>(
        ITestOutputHelper output,
        string parser,
        int inputs,
        Gen<T> gen,
        Func<T, TResult> parse,
        Func<T, FuzzOutcome<TResult>, string> check,
        Func<T, TimeSpan> boundFor,
        Func<T, string>? print = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(boundFor);
        ArgumentNullException.ThrowIfNull(gen);
        print ??= value => Show(value);
        var pcg = new PCG(Stream(parser), FuzzSettings.Seed);
        var histogram = new LatencyHistogram();
        var outcomes = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var started = Stopwatch.GetTimestamp();
        var slowest = (Nanoseconds: 0d, Index: -1, Value: default(T));
        for (var i = 0; i < inputs; i++)
        {
            var seed = pcg.ToString();
            var value = gen.Generate(pcg, null, out _);
            string outcome;
            try
            {
                outcome = Evaluate(value, parse, check, boundFor(value), i >= WarmupInputs ? histogram : null);
            }
            catch (Exception failure) when (failure is not OutOfMemoryException)
            {
                throw Shrunk(parser, i, seed, value, failure, gen, parse, check, boundFor, print);
            }

            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            if (histogram.MaxJudgedNanoseconds > slowest.Nanoseconds)
            {
                slowest = (histogram.MaxJudgedNanoseconds, i, value);
            }
        }

        var figures = new FuzzFigures(parser, inputs, Stopwatch.GetElapsedTime(started), outcomes,
            histogram.MaxNanoseconds, histogram.MaxJudgedNanoseconds, histogram.Quantile(0.99), FuzzSettings.Seed);
        output.WriteLine(figures.ToString());
        if (slowest.Index >= 0)
        {
            var shown = print(slowest.Value!);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"slowest input (#{slowest.Index}, {slowest.Nanoseconds / 1_000_000:0.000} ms): {shown[..Math.Min(600, shown.Length)]}"));
        }

        FuzzSettings.Report(figures.ToString());
        return figures;
    }

    /// <summary>Shows a value with every character outside printable ASCII escaped, cut at 4,000 characters.</summary>
    public static string Show<T>(T value)
    {
        var text = value switch
        {
            string s => s,
            byte[] bytes => Convert.ToHexString(bytes),
            string?[] values => "[" + string.Join(", ", values.Select(v => v is null ? "null" : "\"" + v + "\"")) + "]",
            _ => value?.ToString() ?? "null",
        };

        var shown = new StringBuilder(Math.Min(text.Length, 1500) + 16);
        foreach (var c in text.Length > 1500 ? text[..1500] : text)
        {
            if (c is >= ' ' and <= '~' and not '\\')
            {
                shown.Append(c);
            }
            else
            {
                shown.Append(c switch
                {
                    '\\' => "\\\\",
                    '\n' => "\\n",
                    '\r' => "\\r",
                    '\t' => "\\t",
                    _ => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                });
            }
        }

        return (text.Length > 1500 ? shown.Append("… (" + text.Length.ToString(CultureInfo.InvariantCulture) + " characters)") : shown).ToString();
    }

    /// <summary>
    /// Calls the parser, calls it up to three times more when it took longer than the bound (a parser
    /// with side effects sees every call: <see cref="TakeCalls"/>), then checks the first call's outcome.
    /// </summary>
    private static string Evaluate<T, TResult>(T value, Func<T, TResult> parse, Func<T, FuzzOutcome<TResult>, string> check, TimeSpan bound, LatencyHistogram? histogram)
    {
        var elapsed = Call(value, parse, out var outcome);
        var fastest = elapsed;
        if (histogram is not null)
        {
            histogram.Record(elapsed);
            for (var retry = 0; retry < 3 && fastest > bound.TotalNanoseconds; retry++)
            {
                fastest = Math.Min(fastest, Call(value, parse, out _));
            }

            histogram.RecordJudged(fastest);
        }

        var judged = check(value, outcome);
        if (fastest > bound.TotalNanoseconds && histogram is not null)
        {
            throw new XunitException(string.Create(CultureInfo.InvariantCulture,
                $"slow input: {fastest / 1_000_000:0.000} ms at best of four calls, over the bound of {bound.TotalMilliseconds} ms"));
        }

        return judged;
    }

    /// <summary>Gets how many times the parser was called on this thread since the last TakeCalls (more than once for an input that was timed again).</summary>
    [ThreadStatic]
    private static int t_calls;

    /// <summary>Returns and resets the calls made since the last time: for checks of parsers that count what they ignore.</summary>
    public static int TakeCalls()
    {
        var calls = t_calls;
        t_calls = 0;
        return calls;
    }

    private static double Call<T, TResult>(T value, Func<T, TResult> parse, out FuzzOutcome<TResult> outcome)
    {
        t_calls++;
        var start = Stopwatch.GetTimestamp();
        try
        {
            var result = parse(value);
            var end = Stopwatch.GetTimestamp();
            outcome = new FuzzOutcome<TResult>(result, null);
            return (end - start) * 1e9 / Stopwatch.Frequency;
        }
#pragma warning disable CA1031 // Any exception is the parser's answer, judged by the check.
        catch (Exception e)
#pragma warning restore CA1031
        {
            var end = Stopwatch.GetTimestamp();
            outcome = new FuzzOutcome<TResult>(default, e);
            return (end - start) * 1e9 / Stopwatch.Frequency;
        }
    }

    private static XunitException Shrunk<T, TResult>(
        string parser, int index, string seed, T value, Exception failure, Gen<T> gen,
        Func<T, TResult> parse, Func<T, FuzzOutcome<TResult>, string> check, Func<T, TimeSpan> boundFor, Func<T, string> print)
    {
        var heading = string.Create(CultureInfo.InvariantCulture,
            $"fuzz {parser}: input {index} (run seed {FuzzSettings.Seed}, {FuzzSettings.SeedVariable} to change it; CsCheck seed \"{seed}\") failed: {failure.Message}\ninput: {print(value)}");
        try
        {
            gen.Sample(v => Evaluate(v, parse, check, boundFor(v), new LatencyHistogram()), seed: seed, iter: ShrinkIterations, threads: 1, print: print);
        }
        catch (Exception shrunk) when (shrunk is not OutOfMemoryException)
        {
            return new XunitException(heading + "\nshrunk by CsCheck: " + shrunk.Message);
        }

        return new XunitException(heading + "\n(CsCheck did not reproduce it while shrinking)");
    }

    /// <summary>A stable stream number per parser name (FNV-1a), so each parser draws its own inputs from the one seed.</summary>
    private static uint Stream(string parser)
    {
        var hash = 2166136261u;
        foreach (var c in parser)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash & 0x7FFF_FFFF;
    }
}
