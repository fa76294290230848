using System.Net;
using CsCheck;
using MemoryContracts.Tests.Fuzzing;
using Microsoft.Extensions.Primitives;
using Xunit.Abstractions;

namespace MemoryContracts.Yarp.Tests.Fuzzing;

/// <summary>
/// What the gateway reads from a proxied response (<see cref="ProxiedHeaders.Get"/> then
/// <see cref="ReportedUsage.TryRead"/>): any <c>endpoint-load-metrics</c> and <c>X-Memory-Usage</c>
/// values, sent once or several times. Every usage read is a finite percentage from 0 to 1000; the
/// headers read are the values received; nothing throws, no response takes more than <see cref="Bound"/>.
/// An unreadable report is ignored and logged (event 901 at Debug), not counted: no metric counts it.
/// </summary>
public sealed class ReportedUsageFuzzTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromMilliseconds(5);

    private static readonly Gen<string> Orca = Gen.OneOf(
        Gen.Select(Gen.OneOf("application_utilization", "mem_utilization", "cpu_utilization"), Gen.OneOf(Gen.Double[0, 20], Gen.Double, Gen.Const(0d)))
            .Select((name, value) => $"TEXT {name}={value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}"),
        HeaderGenerators.Garbage.Select(g => "TEXT " + g),
        HeaderGenerators.Garbage);

    [Fact]
    public void TryRead_AnyProxiedResponse_UsageIsAPercentFromZeroToAThousand()
    {
        var responses = Gen.Select(HeaderGenerators.Values(Orca), HeaderGenerators.UsageValues);
        var figures = FuzzRunner.Run(
            output, "proxied response usage (ProxiedHeaders, ReportedUsage)", FuzzSettings.Inputs(20_000), responses,
            headers =>
            {
                using var response = new HttpResponseMessage(HttpStatusCode.OK);
                foreach (var value in headers.Item1)
                {
                    response.Headers.TryAddWithoutValidation("endpoint-load-metrics", value);
                }

                foreach (var value in headers.Item2)
                {
                    response.Headers.TryAddWithoutValidation("X-Memory-Usage", value);
                }

                var loadMetrics = ProxiedHeaders.Get(response.Headers, "endpoint-load-metrics");
                var usage = ProxiedHeaders.Get(response.Headers, "X-Memory-Usage");
                return (loadMetrics, usage, Read: ReportedUsage.TryRead(loadMetrics, usage, out var percent), percent);
            },
            (headers, outcome) =>
            {
                var (loadMetrics, usage, read, percent) = outcome.Value;
                Assert.Equal(headers.Item1.ToArray(), loadMetrics.ToArray());
                Assert.Equal(headers.Item2.ToArray(), usage.ToArray());
                if (!read)
                {
                    Assert.Equal(0, percent);
                    return "ignored";
                }

                Assert.InRange(percent, 0, ReportedUsage.MaxPercent);
                return "read";
            },
            Bound,
            h => $"endpoint-load-metrics {Show(h.Item1)}, X-Memory-Usage {Show(h.Item2)}");

        Assert.True(figures.Count("read") > 0 && figures.Count("ignored") > 0, figures.ToString());
    }

    private static string Show(StringValues values) => FuzzRunner.Show(values.ToArray());
}
