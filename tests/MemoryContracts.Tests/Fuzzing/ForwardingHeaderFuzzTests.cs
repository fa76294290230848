using CsCheck;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Xunit.Abstractions;

namespace MemoryContracts.Tests.Fuzzing;

/// <summary>
/// The forwarding headers (<see cref="XForwardedForHeader"/>, <see cref="ForwardedHeader"/>, and both
/// through <see cref="CallerTrust"/>): a well-formed list is trusted exactly when every address it names
/// is trusted and there are at most 64; anything else is judged untrusted (the request is then an
/// outsider's: its pressure headers are ignored, not counted), never thrown; naming one more outsider
/// after a trusted list always makes it untrusted.
/// </summary>
public sealed class ForwardingHeaderFuzzTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromMilliseconds(5);
    private static readonly TrustedNetworks Networks = TrustedNetworks.Parse(["10.0.0.0/8", "127.0.0.0/8", "fd00::/8", "::1/128"]);

    [Fact]
    public void XForwardedFor_AnyList_TrustedExactlyWhenEveryNodeIs()
    {
        var values = Gen.Frequency((4, HeaderGenerators.ForwardedFor), (1, HeaderGenerators.Garbage.Select(g => (g, (bool?)null))));
        var figures = FuzzRunner.Run(
            output, "X-Forwarded-For", FuzzSettings.Inputs(150_000), values,
            value =>
            {
                var budget = CallerTrust.MaxForwardedNodes;
                return XForwardedForHeader.NamesOnlyTrusted(value.Item1, Networks, ref budget);
            },
            (value, outcome) => Judge(value.Item2, outcome.Value, () =>
            {
                var budget = CallerTrust.MaxForwardedNodes;
                return XForwardedForHeader.NamesOnlyTrusted(value.Item1 + ", 203.0.113.7", Networks, ref budget);
            }),
            Bound,
            v => FuzzRunner.Show(v.Item1));

        Assert.True(figures.Count("trusted") > 0 && figures.Count("untrusted") > 0, figures.ToString());
    }

    [Fact]
    public void Forwarded_AnyElements_TrustedExactlyWhenEveryForIs()
    {
        var values = Gen.Frequency((4, HeaderGenerators.Forwarded), (1, HeaderGenerators.Garbage.Select(g => (g, (bool?)null))), (1, HeaderGenerators.Garbage.Select(g => ("for=" + g, (bool?)null))));
        var figures = FuzzRunner.Run(
            output, "Forwarded", FuzzSettings.Inputs(150_000), values,
            value =>
            {
                var budget = CallerTrust.MaxForwardedNodes;
                return ForwardedHeader.NamesOnlyTrusted(value.Item1, Networks, ref budget);
            },
            (value, outcome) => Judge(value.Item2, outcome.Value, () =>
            {
                var budget = CallerTrust.MaxForwardedNodes;
                return ForwardedHeader.NamesOnlyTrusted(value.Item1 + ", for=203.0.113.7", Networks, ref budget);
            }),
            Bound,
            v => FuzzRunner.Show(v.Item1));

        Assert.True(figures.Count("trusted") > 0 && figures.Count("untrusted") > 0, figures.ToString());
    }

    [Fact]
    public void RelayedOnlyForTrusted_BothHeadersSeveralTimes_TrustedOnlyWhenEachIs()
    {
        var headers = Gen.Select(
            HeaderGenerators.Values(HeaderGenerators.ForwardedFor.Select(f => f.Value)),
            HeaderGenerators.Values(HeaderGenerators.Forwarded.Select(f => f.Value)));
        FuzzRunner.Run(
            output, "X-Forwarded-For and Forwarded together (CallerTrust)", FuzzSettings.Inputs(10_000), headers,
            pair =>
            {
                var dictionary = new HeaderDictionary { ["X-Forwarded-For"] = pair.Item1, ["Forwarded"] = pair.Item2 };
                return CallerTrust.RelayedOnlyForTrusted(dictionary, Networks);
            },
            (pair, outcome) =>
            {
                if (outcome.Value)
                {
                    // Trusted together means trusted apart (the node budget is shared, so not the converse).
                    var budget = CallerTrust.MaxForwardedNodes;
                    Assert.True(XForwardedForHeader.NamesOnlyTrusted(pair.Item1, Networks, ref budget));
                    Assert.True(ForwardedHeader.NamesOnlyTrusted(pair.Item2, Networks, ref budget));
                }

                return outcome.Value ? "trusted" : "untrusted";
            },
            Bound,
            p => $"X-Forwarded-For {Show(p.Item1)}, Forwarded {Show(p.Item2)}");
    }

    private static string Judge(bool? expected, bool trusted, Func<bool> withOneMoreOutsider)
    {
        if (expected is { } known)
        {
            Assert.Equal(known, trusted);
        }

        if (trusted)
        {
            Assert.False(withOneMoreOutsider(), "one more outsider named after a trusted list left it trusted");
        }

        return trusted ? "trusted" : "untrusted";
    }

    private static string Show(StringValues values) => FuzzRunner.Show(values.ToArray());
}
