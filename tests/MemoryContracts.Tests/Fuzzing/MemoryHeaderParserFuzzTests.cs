using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using CsCheck;
using System.Diagnostics.Metrics;
using MemoryContracts.Tests.Infrastructure;
using MemoryContracts.Tests.Propagation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using Xunit.Abstractions;

namespace MemoryContracts.Tests.Fuzzing;

/// <summary>
/// The inbound <c>X-Memory-*</c> parsers (<see cref="MemoryHeaderParser"/>) and the hook that reads a
/// trusted caller's pressure headers (<see cref="InboundPropagation"/>): every value parses to what a
/// strict reading of DESIGN §6 says (<c>68%</c> or <c>68</c>, 0 to <see cref="int.MaxValue"/>; a version of
/// 1 to 64 printable ASCII characters) or is ignored and counted in <c>memory_contracts.headers.malformed</c>;
/// nothing throws, no value takes more than <see cref="Bound"/>.
/// </summary>
public sealed partial class MemoryHeaderParserFuzzTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromMilliseconds(5);

    [Fact]
    public void TryParseUsage_AnyValue_ParsesExactlyTheStrictPercentages()
    {
        var figures = FuzzRunner.Run(
            output, "X-Memory-Usage value", FuzzSettings.Inputs(250_000), HeaderGenerators.Usage,
            value => (MemoryHeaderParser.TryParseUsage(value, out var percent), percent),
            (value, outcome) =>
            {
                var (parsed, percent) = outcome.Value;
                var strict = StrictUsage().Match(value);
                var expected = strict.Success && long.Parse(strict.Groups[1].ValueSpan, CultureInfo.InvariantCulture) <= int.MaxValue;
                Assert.Equal(expected, parsed);
                if (!parsed)
                {
                    Assert.Equal(0, percent);
                    return "ignored";
                }

                Assert.Equal(long.Parse(strict.Groups[1].ValueSpan, CultureInfo.InvariantCulture), percent);
                Assert.InRange(percent, 0, int.MaxValue);

                // What we send (DESIGN §6: "68%") reads back as the same number.
                Assert.True(MemoryHeaderParser.TryParseUsage(percent.ToString(CultureInfo.InvariantCulture) + "%", out var again));
                Assert.Equal(percent, again);
                return "parsed";
            },
            Bound);

        Assert.True(figures.Count("parsed") > figures.Inputs / 10 && figures.Count("ignored") > figures.Inputs / 10, figures.ToString());
    }

    [Fact]
    public void ParseUsage_SeveralValues_ValidOnlyWhenSentOnceAndWellFormed()
    {
        FuzzRunner.Run(
            output, "X-Memory-Usage header (0-4 values)", FuzzSettings.Inputs(50_000), HeaderGenerators.UsageValues,
            values => (MemoryHeaderParser.ParseUsage(values, out var percent), percent),
            (values, outcome) =>
            {
                var (result, percent) = outcome.Value;
                var expected = values.Count switch
                {
                    0 => HeaderParseResult.Absent,
                    1 => MemoryHeaderParser.TryParseUsage(values[0], out _) ? HeaderParseResult.Valid : HeaderParseResult.Malformed,
                    _ => HeaderParseResult.Malformed,
                };
                Assert.Equal(expected, result);
                Assert.True(result == HeaderParseResult.Valid || percent == 0);
                return result.ToString().ToLowerInvariant();
            },
            Bound,
            Show);
    }

    [Fact]
    public void ParseContract_AnyValue_ValidOnlyForOnePrintableAsciiVersion()
    {
        var figures = FuzzRunner.Run(
            output, "X-Memory-Contract header (0-4 values)", FuzzSettings.Inputs(100_000), HeaderGenerators.ContractValues,
            values => (MemoryHeaderParser.ParseContract(values, out var contract), contract),
            (values, outcome) =>
            {
                var (result, contract) = outcome.Value;
                if (values.Count == 0)
                {
                    Assert.Equal(HeaderParseResult.Absent, result);
                    return "absent";
                }

                var expected = values.Count == 1 && values[0] is { Length: >= 1 and <= 64 } one && one.All(c => c is >= ' ' and <= '~') && one[0] != ' ' && one[^1] != ' ';
                Assert.Equal(expected ? HeaderParseResult.Valid : HeaderParseResult.Malformed, result);
                Assert.Equal(expected ? values[0] : null, contract);
                return expected ? "valid" : "malformed";
            },
            Bound,
            Show);

        Assert.True(figures.Count("valid") > 0 && figures.Count("malformed") > 0, figures.ToString());
    }

    [Fact]
    public void IsValidContract_AnyVersion_AcceptedByPeersExactlyWhenOurContractsMaySendIt()
    {
        // Counted with the contract inputs: each is a contract parse (version: "<value>").
        FuzzRunner.Run(
            output, "contract version vs X-Memory-Contract (contract inputs)", FuzzSettings.Inputs(2_000), HeaderGenerators.Contract,
            version => MemoryHeaderParser.IsValidContract(version),
            (version, outcome) =>
            {
                var yaml = $"version: \"{string.Concat(version.Select(c => c is >= ' ' and <= '~' and not '"' and not '\\' ? c.ToString() : $"\\u{(int)c:X4}"))}\"\nmodules: [{{name: a}}]\n";
                bool accepted;
                try
                {
                    accepted = MemoryContract.Parse(yaml).Version == version;
                }
                catch (MemoryContractException e) when (e.Key == "version")
                {
                    accepted = false;
                }

                Assert.Equal(accepted, outcome.Value);
                return accepted ? "sendable" : "refused";
            },
            TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void OnRequest_TrustedCallerSendsAnyPressureHeaders_ReadsTheValidOnesAndCountsTheRest()
    {
        using var services = PropagationTestServices.Build();
        using var malformed = new MalformedHeaderCount(services.GetRequiredService<MemoryContractsMetrics>().Meter);
        var inbound = services.GetRequiredService<InboundPropagation>();
        var snapshot = services.Publish(PressureLevel.Normal, usagePercent: 40);
        long expectedMalformed = 0;
        FuzzRunner.TakeCalls();
        var requests = Gen.Select(HeaderGenerators.UsageValues, HeaderGenerators.ContractValues, Gen.Frequency((9, Gen.Const(string.Empty)), (1, HeaderGenerators.ForwardedFor.Select(f => f.Value))));

        var figures = FuzzRunner.Run(
            output, "inbound hook (X-Memory-Usage, X-Memory-Contract, X-Forwarded-For)", FuzzSettings.Inputs(50_000), requests,
            request =>
            {
                var (usage, contract, forwardedFor) = request;
                var context = new DefaultHttpContext();
                context.Connection.RemoteIpAddress = IPAddress.Parse("10.0.0.1");
                context.Request.Headers["X-Memory-Usage"] = usage;
                context.Request.Headers["X-Memory-Contract"] = contract;
                if (forwardedFor.Length > 0)
                {
                    context.Request.Headers["X-Forwarded-For"] = forwardedFor;
                }

                return (Caller: inbound.OnRequest(context, snapshot), context);
            },
            (request, outcome) =>
            {
                var calls = FuzzRunner.TakeCalls();
                var (usage, contract, _) = request;
                var (caller, context) = outcome.Value;
                if (!CallerTrust.RelayedOnlyForTrusted(context.Request.Headers, snapshot.Plan.Propagation.TrustedNetworks))
                {
                    Assert.True(caller.IsEmpty);
                    return "relayed for an outsider";
                }

                var usageResult = MemoryHeaderParser.ParseUsage(usage, out var percent);
                var contractResult = MemoryHeaderParser.ParseContract(contract, out var version);
                Assert.Equal(usageResult == HeaderParseResult.Valid ? percent : null, caller.UsagePercent);
                Assert.Equal(version, caller.Contract);
                Assert.Equal(caller.UsagePercent > 80, caller.BypassCacheWrites);
                var bad = (usageResult == HeaderParseResult.Malformed ? 1 : 0) + (contractResult == HeaderParseResult.Malformed ? 1 : 0);
                expectedMalformed += bad * calls;
                return bad == 0 ? "read" : "ignored and counted";
            },
            Bound,
            r => $"usage {Show(r.Item1)}, contract {Show(r.Item2)}, X-Forwarded-For {FuzzRunner.Show(r.Item3)}");

        Assert.True(figures.Count("ignored and counted") > 0 && figures.Count("read") > 0, figures.ToString());
        Assert.Equal(expectedMalformed, malformed.Total);
    }

    internal static string Show(StringValues values) => FuzzRunner.Show(values.ToArray());

    /// <summary>DESIGN §6 and docs/headers.md: ASCII digits (at most 10), at most one trailing %, spaces and tabs around.</summary>
    [GeneratedRegex(@"^[ \t]*([0-9]{1,10})%?[ \t]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex StrictUsage();

    /// <summary>The sum of <c>memory_contracts.headers.malformed</c> on one meter, without keeping each measurement.</summary>
    internal sealed class MalformedHeaderCount : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _total;

        public MalformedHeaderCount(Meter meter)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter, meter) && instrument.Name == MemoryContractsMetricNames.HeadersMalformed)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _total, value));
            _listener.Start();
        }

        public long Total => Interlocked.Read(ref _total);

        public void Dispose() => _listener.Dispose();
    }
}
