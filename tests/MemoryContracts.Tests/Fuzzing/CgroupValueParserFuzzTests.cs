using System.Globalization;
using System.Text;
using CsCheck;
using Xunit.Abstractions;

namespace MemoryContracts.Tests.Fuzzing;

/// <summary>
/// <see cref="CgroupValueParser"/> under any bytes a cgroup file could hold: a value is a byte count
/// (1 to 19 ASCII digits, at most <see cref="long.MaxValue"/>), <c>max</c> or a count at or above 4 EiB
/// (unlimited, the count still given), or garbled; a <c>memory.stat</c> key is found on the first line that starts with it
/// and a space. Nothing throws, no file takes more than <see cref="Bound"/>.
/// </summary>
public sealed class CgroupValueParserFuzzTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromMilliseconds(5);

    private static readonly Gen<byte[]> Values = Gen.OneOf(
        Gen.Select(Gen.Long[0, long.MaxValue], Gen.OneOf("", "\n", " \n", "\0", "\r\n", "\t", " x", "k")).Select((n, end) => Encoding.ASCII.GetBytes(n.ToString(CultureInfo.InvariantCulture) + end)),
        Gen.OneOf("max", "max\n", "max \n", "MAX", "maxx", "-1", "", "\n", "9223372036854775807", "9223372036854775808", "18446744073709551615", "4611686018427387904", "4611686018427387903", "00000000000000000001", " 1", "1 2").Select(Encoding.ASCII.GetBytes),
        HeaderGenerators.Garbage.Select(Encoding.UTF8.GetBytes),
        Gen.Byte.Array[0, 40]);

    [Fact]
    public void ParseValue_AnyBytes_NumberUnlimitedOrGarbledExactly()
    {
        var figures = FuzzRunner.Run(
            output, "cgroup value file (memory.max, memory.current)", FuzzSettings.Inputs(50_000), Values,
            bytes => (Status: CgroupValueParser.ParseValue(bytes, out var value), Value: value),
            (bytes, outcome) =>
            {
                var (status, value) = outcome.Value;
                var token = Encoding.Latin1.GetString(bytes).TrimEnd(' ', '\t', '\r', '\n', '\0');
                var expected = token == "max" ? CgroupValueStatus.Unlimited
                    : token.Length is >= 1 and <= 19 && token.All(char.IsAsciiDigit) && ulong.Parse(token, CultureInfo.InvariantCulture) <= long.MaxValue
                        ? (long.Parse(token, CultureInfo.InvariantCulture) >= CgroupValueParser.UnlimitedThreshold ? CgroupValueStatus.Unlimited : CgroupValueStatus.Number)
                        : CgroupValueStatus.Garbled;
                Assert.Equal(expected, status);
                // A count at or above 4 EiB is unlimited and still given (CgroupValueParserTests): only "max" and garbage give 0.
                var digits = expected != CgroupValueStatus.Garbled && token != "max";
                Assert.Equal(digits ? long.Parse(token, CultureInfo.InvariantCulture) : 0, value);
                Assert.True(status != CgroupValueStatus.Number || value < CgroupValueParser.UnlimitedThreshold, $"{value} read as a number");
                return status.ToString();
            },
            Bound);

        Assert.True(figures.Count(nameof(CgroupValueStatus.Number)) > 0 && figures.Count(nameof(CgroupValueStatus.Garbled)) > 0, figures.ToString());
    }

    [Fact]
    public void FindStatValue_AnyStatFile_ReadsTheFirstLineOfTheKey()
    {
        var line = Gen.Frequency(
            (3, Gen.Select(Gen.OneOf("total_inactive_file", "inactive_file", "total_inactive_file_x", "total_inactive", "Total_inactive_file", "anon", " total_inactive_file"), Gen.OneOf(" ", "  ", "\t", ":"), Values)
                .Select((key, space, value) => key + space + Encoding.Latin1.GetString(value).Replace("\n", string.Empty, StringComparison.Ordinal))),
            (1, HeaderGenerators.Garbage));
        var stats = line.Array[0, 30].Select(lines => Encoding.Latin1.GetBytes(string.Join('\n', lines)));

        FuzzRunner.Run(
            output, "cgroup memory.stat", FuzzSettings.Inputs(20_000), stats,
            bytes => (Status: CgroupValueParser.FindStatValue(bytes, "total_inactive_file"u8, out var value), Value: value),
            (bytes, outcome) =>
            {
                var first = Encoding.Latin1.GetString(bytes).Split('\n').FirstOrDefault(l => l.StartsWith("total_inactive_file ", StringComparison.Ordinal));
                if (first is null)
                {
                    Assert.Equal(CgroupValueStatus.Missing, outcome.Value.Status);
                    return "missing";
                }

                var expected = CgroupValueParser.ParseValue(Encoding.Latin1.GetBytes(first["total_inactive_file ".Length..].Trim(' ', '\t', '\r', '\0')), out var value);
                Assert.Equal(expected, outcome.Value.Status);
                Assert.Equal(value, outcome.Value.Value);
                return expected.ToString();
            },
            Bound,
            b => FuzzRunner.Show(Encoding.Latin1.GetString(b)));
    }
}
