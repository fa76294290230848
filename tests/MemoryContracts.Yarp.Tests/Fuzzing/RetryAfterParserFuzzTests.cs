using System.Globalization;
using CsCheck;
using MemoryContracts.Tests.Fuzzing;
using Microsoft.Extensions.Primitives;
using Xunit.Abstractions;

namespace MemoryContracts.Yarp.Tests.Fuzzing;

/// <summary>
/// <see cref="RetryAfterParser"/> under any <c>Retry-After</c> values: a value either parses to a window
/// within its documented range (1 to 300 s; delta-seconds and the three HTTP-date forms exactly) or is
/// ignored; nothing throws, no value takes more than <see cref="Bound"/>.
/// </summary>
public sealed class RetryAfterParserFuzzTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromMilliseconds(5);
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 5, 0, 0, TimeSpan.Zero);
    private static readonly string[] Formats = ["ddd, dd MMM yyyy HH':'mm':'ss 'GMT'", "dddd, dd'-'MMM'-'yy HH':'mm':'ss 'GMT'", "ddd MMM d HH':'mm':'ss yyyy"];

    /// <summary>A value, and the window it must give (<see langword="null"/>: in range when it parses, nothing more).</summary>
    private static readonly Gen<(StringValues Values, TimeSpan? Window)> Values = Gen.OneOf(
        Gen.Select(HeaderGenerators.Space, Gen.Char['0', '9'].Array[1, 12], HeaderGenerators.Space).Select((before, digits, after) =>
        {
            var value = before + new string(digits) + after;
            var exact = digits.Length <= 10 && value.Length <= 64 && before.Trim(' ', '\t').Length == 0 && after.Trim(' ', '\t').Length == 0;
            return (new StringValues(value), exact ? Clamp(TimeSpan.FromSeconds(long.Parse(digits, CultureInfo.InvariantCulture))) : (TimeSpan?)null);
        }),
        Gen.Select(Gen.Int[-86_400, 86_400], Gen.Int[0, 2]).Select((seconds, format) =>
        {
            // The two-digit year of RFC 850 reads as 1930-2029, so this date stays near now in every form.
            var date = Now.AddSeconds(seconds);
            return (new StringValues(date.ToString(Formats[format], CultureInfo.InvariantCulture)), (TimeSpan?)Clamp(TimeSpan.FromSeconds(seconds)));
        }),
        Gen.Select(Gen.Long[DateTimeOffset.MinValue.Ticks, DateTimeOffset.MaxValue.Ticks], Gen.Int[0, 2], Gen.Int[0, 40], HeaderGenerators.Garbage).Select((ticks, format, at, junk) =>
        {
            var date = new DateTimeOffset(ticks, TimeSpan.Zero).ToString(Formats[format], CultureInfo.InvariantCulture);
            return (new StringValues(at % 3 == 0 ? date : date.Insert(at % (date.Length + 1), junk)), (TimeSpan?)null);
        }),
        HeaderGenerators.Values(HeaderGenerators.Garbage).Select(v => (v, (TimeSpan?)null)),
        HeaderGenerators.Values(HeaderGenerators.Usage).Select(v => (v, (TimeSpan?)null)));

    [Fact]
    public void TryParse_AnyValue_WindowWithinOneToThreeHundredSecondsOrIgnored()
    {
        var figures = FuzzRunner.Run(
            output, "Retry-After (gateway)", FuzzSettings.Inputs(60_000), Values,
            value => (RetryAfterParser.TryParse(value.Values, Now, out var window), window),
            (value, outcome) =>
            {
                var (parsed, window) = outcome.Value;
                if (value.Window is { } expected)
                {
                    Assert.True(parsed);
                    Assert.Equal(expected, window);
                }

                if (!parsed)
                {
                    Assert.Equal(TimeSpan.Zero, window);
                    return "ignored";
                }

                Assert.InRange(window, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(300));
                return "parsed";
            },
            Bound,
            v => FuzzRunner.Show(v.Values.ToArray()));

        Assert.True(figures.Count("parsed") > figures.Inputs / 5 && figures.Count("ignored") > figures.Inputs / 5, figures.ToString());
    }

    private static TimeSpan Clamp(TimeSpan asked) =>
        asked < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : asked > TimeSpan.FromSeconds(300) ? TimeSpan.FromSeconds(300) : asked;
}
