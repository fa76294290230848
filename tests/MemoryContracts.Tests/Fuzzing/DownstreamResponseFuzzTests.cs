using System.Net;
using CsCheck;
using MemoryContracts.Tests.Propagation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using Xunit.Abstractions;

namespace MemoryContracts.Tests.Fuzzing;

/// <summary>
/// What the outbound handler reads from a downstream's response (<see cref="MemoryRejection.Classify"/>,
/// through <see cref="DownstreamThrottleController.OnResponse(HttpResponseMessage)"/>): any status, any
/// <c>X-Memory-Usage</c> and <c>Retry-After</c> values. A memory rejection is exactly a readable usage
/// with 429/503 and a <c>Retry-After</c>, or a usage above <c>downstream_backoff_above_percent</c>; an
/// unreadable usage is ignored (the answer counts as accepted) and counted; nothing throws.
/// </summary>
public sealed class DownstreamResponseFuzzTests(ITestOutputHelper output)
{
    private const int BackoffAbovePercent = 95;
    private static readonly TimeSpan Bound = TimeSpan.FromMilliseconds(5);

    private static readonly Gen<Response> Responses = Gen.Select(
            Gen.Frequency((3, Gen.OneOf(200, 429, 503)), (1, Gen.OneOf(204, 301, 400, 404, 500, 502)), (1, Gen.Int[100, 999])),
            HeaderGenerators.UsageValues,
            HeaderGenerators.Values(Gen.Frequency((3, Gen.Int[0, 3600].Select(s => s.ToString(System.Globalization.CultureInfo.InvariantCulture))), (1, HeaderGenerators.Garbage))),
            Gen.Frequency((8, Gen.Const("http://inventory/")), (1, Gen.OneOf("http://inventory:8080/", "http://other/", "http://INVENTORY/x", "https://inventory/"))))
        .Select((status, usage, retryAfter, answeredBy) => new Response(status, usage, retryAfter, answeredBy));

    [Fact]
    public void Classify_AnyResponse_RejectionOnlyForAReadableUsageWithShedOrAboveTheThreshold()
    {
        var figures = FuzzRunner.Run(
            output, "downstream response (status, X-Memory-Usage, Retry-After)", FuzzSettings.Inputs(80_000), Responses,
            response =>
            {
                using var message = response.ToMessage();
                return (Answer: MemoryRejection.Classify(message, "inventory", 80, BackoffAbovePercent, out var malformed), Malformed: malformed);
            },
            (response, outcome) =>
            {
                var (answer, malformed) = outcome.Value;
                var (expected, expectedMalformed) = response.Expected();
                Assert.Equal(expected, answer);
                Assert.Equal(expectedMalformed, malformed);
                return malformed ? "usage ignored" : answer.ToString();
            },
            Bound,
            r => r.ToString());

        Assert.True(figures.Count(nameof(DownstreamAnswer.Rejected)) > 0 && figures.Count("usage ignored") > 0, figures.ToString());
    }

    [Fact]
    public void OnResponse_AnyResponse_CountsEachUnreadableUsageOnce()
    {
        using var services = PropagationTestServices.Build();
        using var malformed = new MemoryHeaderParserFuzzTests.MalformedHeaderCount(services.GetRequiredService<MemoryContractsMetrics>().Meter);
        var controller = services.GetRequiredService<DownstreamThrottle>().For(new Uri("http://inventory/"))!.Controller;
        long expected = 0;
        FuzzRunner.TakeCalls();

        FuzzRunner.Run(
            output, "outbound handler reading responses (DownstreamThrottleController)", FuzzSettings.Inputs(20_000), Responses,
            response =>
            {
                using var message = response.ToMessage();
                controller.OnResponse(message);
                return 0;
            },
            (response, _) =>
            {
                var calls = FuzzRunner.TakeCalls();
                var ignored = response.Expected().Malformed;
                expected += ignored ? calls : 0;
                return ignored ? "usage ignored and counted" : "read";
            },
            Bound,
            r => r.ToString());

        Assert.Equal(expected, malformed.Total);
    }

    internal sealed record Response(int Status, StringValues Usage, StringValues RetryAfter, string AnsweredBy)
    {
        public HttpResponseMessage ToMessage()
        {
            var message = new HttpResponseMessage((HttpStatusCode)Status) { RequestMessage = new HttpRequestMessage(HttpMethod.Get, AnsweredBy) };
            foreach (var value in Usage)
            {
                message.Headers.TryAddWithoutValidation("X-Memory-Usage", value);
            }

            foreach (var value in RetryAfter)
            {
                message.Headers.TryAddWithoutValidation("Retry-After", value);
            }

            return message;
        }

        public (DownstreamAnswer Answer, bool Malformed) Expected()
        {
            var answeredBy = new Uri(AnsweredBy);
            if (answeredBy.Port != 80 || !string.Equals(answeredBy.IdnHost, "inventory", StringComparison.OrdinalIgnoreCase))
            {
                return (DownstreamAnswer.NotFromThisAuthority, false);
            }

            if (Usage.Count == 0)
            {
                return (DownstreamAnswer.Accepted, false);
            }

            if (Usage.Count != 1 || !MemoryHeaderParser.TryParseUsage(Usage[0], out var usage))
            {
                return (DownstreamAnswer.Accepted, true);
            }

            var shed = Status is 429 or 503 && RetryAfter.Count > 0;
            return (shed || usage > BackoffAbovePercent ? DownstreamAnswer.Rejected : DownstreamAnswer.Accepted, false);
        }

        public override string ToString() =>
            $"{Status}, X-Memory-Usage {MemoryHeaderParserFuzzTests.Show(Usage)}, Retry-After {MemoryHeaderParserFuzzTests.Show(RetryAfter)}, answered by {AnsweredBy}";
    }
}
