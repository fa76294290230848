using System.Globalization;

namespace MemoryContracts.Tests.Fuzzing;

/// <summary>
/// The figures of one fuzz run: inputs, how each was judged, speed and the slowest inputs. The max is
/// of the first call (scheduler and GC pauses included); the bound is checked against the fastest of
/// four calls of an input that was over it, whose max is given too.
/// </summary>
internal sealed record FuzzFigures(
    string Parser,
    long Inputs,
    TimeSpan Duration,
    IReadOnlyDictionary<string, long> Outcomes,
    double MaxNanoseconds,
    double MaxJudgedNanoseconds,
    double P99Nanoseconds,
    ulong Seed)
{
    public long Count(string outcome) => Outcomes.TryGetValue(outcome, out var count) ? count : 0;

    public double InputsPerSecond => Inputs / Math.Max(Duration.TotalSeconds, 1e-9);

    public override string ToString()
    {
        var outcomes = string.Join(", ", Outcomes.Select(o => $"{o.Key} {o.Value.ToString(CultureInfo.InvariantCulture)}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"fuzz {Parser}: {Inputs} inputs in {Duration.TotalSeconds:0.00} s ({InputsPerSecond:0} inputs/s); {outcomes}; per input p99 {Format(P99Nanoseconds)}, max {Format(MaxNanoseconds)} (slowest input {Format(MaxJudgedNanoseconds)}, an input over the bound timed at its fastest of 4 calls); seed {Seed}");
    }

    private static string Format(double nanoseconds) => nanoseconds >= 1_000_000
        ? string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1_000_000:0.00} ms")
        : string.Create(CultureInfo.InvariantCulture, $"{nanoseconds / 1_000:0.0} µs");
}
