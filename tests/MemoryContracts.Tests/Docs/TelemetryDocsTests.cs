using System.Diagnostics.Metrics;
using System.Reflection;
using System.Text.RegularExpressions;
using MemoryContracts.Tests.Propagation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MemoryContracts.Tests.Docs;

/// <summary>
/// docs/telemetry.md lists exactly the instruments of the meter (name, type, unit) and the log events
/// declared with <c>[LoggerMessage]</c> in MemoryContracts and MemoryContracts.Yarp (id, level, name).
/// </summary>
public sealed partial class TelemetryDocsTests
{
    private static readonly MarkdownFile Doc = MarkdownFile.Load("docs/telemetry.md");

    [Fact]
    public void TelemetryDoc_ListsEveryInstrumentNameConstant_AndNoOther()
    {
        var constants = InstrumentNames();
        var documented = Doc.TableRows("instrument").Select(r => r.Name).ToList();

        Assert.Empty(constants.Except(documented, StringComparer.Ordinal));
        Assert.Empty(documented.Except(constants, StringComparer.Ordinal));
    }

    [Fact]
    public void TelemetryDoc_InstrumentTypesAndUnits_AreTheMetersOwn()
    {
        using var services = PropagationTestServices.Build();
        var meter = services.GetRequiredService<MemoryContractsMetrics>().Meter;
        var instruments = new List<Instrument>();
        using (var listener = new MeterListener())
        {
            listener.InstrumentPublished = (instrument, _) =>
            {
                if (ReferenceEquals(instrument.Meter, meter))
                {
                    instruments.Add(instrument);
                }
            };
            listener.Start();
        }

        var rows = Doc.TableRows("instrument").ToDictionary(r => r.Name, StringComparer.Ordinal);
        Assert.Equal(InstrumentNames().Count, instruments.Count);
        Assert.All(instruments, instrument =>
        {
            Assert.True(rows.TryGetValue(instrument.Name, out var row), $"the meter has {instrument.Name}, which docs/telemetry.md does not list");
            Assert.True(Kind(instrument) == row.Cells[1], $"docs/telemetry.md:{row.Line}: {instrument.Name} is a {Kind(instrument)}, documented as '{row.Cells[1]}'");
            Assert.True(instrument.Unit == MarkdownFile.FirstBacktickedSpan(row.Cells[2]), $"docs/telemetry.md:{row.Line}: {instrument.Name} has unit '{instrument.Unit}', documented as '{row.Cells[2]}'");
        });
    }

    [Fact]
    public void TelemetryDoc_NamesTheMeterAndEveryTag()
    {
        var tags = typeof(MemoryContractsMetricNames).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name.EndsWith("Tag", StringComparison.Ordinal))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToList();

        Assert.NotEmpty(tags);
        Assert.Contains($"`{MemoryContractsMetricNames.MeterName}`", Doc.Text, StringComparison.Ordinal);
        Assert.All(tags, tag => Assert.Contains($"`{tag}`", Doc.Text, StringComparison.Ordinal));
    }

    [Fact]
    public void TelemetryDoc_ListsEveryLoggerMessageEventWithItsLevelAndName_AndNoOther()
    {
        var declared = DeclaredEvents();
        var documented = Doc.TableRows("id").ToList();

        Assert.True(declared.Count >= 70, $"only {declared.Count} [LoggerMessage] events found: is the reflection broken?");
        Assert.Empty(declared.Keys.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)).Except(documented.Select(r => r.Name)));
        Assert.Empty(documented.Select(r => r.Name).Except(declared.Keys.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        Assert.All(documented, row =>
        {
            var (level, name) = declared[int.Parse(row.Name, System.Globalization.CultureInfo.InvariantCulture)];
            Assert.True(row.Cells[1] == level.ToString(), $"docs/telemetry.md:{row.Line}: event {row.Name} is logged at {level}, documented as '{row.Cells[1]}'");
            Assert.True(name is null || row.Cells[2] == $"`{name}`", $"docs/telemetry.md:{row.Line}: event {row.Name} is named {name}, documented as '{row.Cells[2]}'");
        });
    }

    [Fact]
    public void TelemetryDoc_EventIdsInProse_AreDeclaredEvents()
    {
        var declared = DeclaredEvents();
        var mentioned = MarkdownFile.Manual()
            .SelectMany(f => EventMention().Matches(f.Text).Select(m => (File: f.RelativePath, Id: int.Parse(m.Groups["id"].Value, System.Globalization.CultureInfo.InvariantCulture))))
            .ToList();

        Assert.NotEmpty(mentioned);
        Assert.All(mentioned, m => Assert.True(declared.ContainsKey(m.Id), $"{m.File} mentions event {m.Id}, which no [LoggerMessage] declares"));
    }

    /// <summary>The instrument name constants of <see cref="MemoryContractsMetricNames"/> (not the meter, tags or tag values).</summary>
    private static List<string> InstrumentNames() =>
        [.. typeof(MemoryContractsMetricNames).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && !f.Name.EndsWith("Tag", StringComparison.Ordinal))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Where(v => v.StartsWith("memory_contracts.", StringComparison.Ordinal))];

    /// <summary>Every <c>[LoggerMessage]</c> of the library and the YARP package: id → (level, event name).</summary>
    private static Dictionary<int, (LogLevel Level, string? Name)> DeclaredEvents()
    {
        var events = new Dictionary<int, (LogLevel, string?)>();
        foreach (var assembly in new[] { typeof(MemoryContractsOptions).Assembly, typeof(MemoryPressureBalancingOptions).Assembly })
        {
            foreach (var method in assembly.GetTypes().SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)))
            {
                if (method.GetCustomAttribute<LoggerMessageAttribute>() is { } attribute)
                {
                    Assert.True(events.TryAdd(attribute.EventId, (attribute.Level, attribute.EventName)), $"event id {attribute.EventId} is declared twice ({method.DeclaringType}.{method.Name})");
                }
            }
        }

        return events;
    }

    private static string Kind(Instrument instrument) => instrument.GetType().Name switch
    {
        var n when n.StartsWith("ObservableGauge", StringComparison.Ordinal) || n.StartsWith("Gauge", StringComparison.Ordinal) => "gauge",
        var n when n.StartsWith("Counter", StringComparison.Ordinal) => "counter",
        var n when n.StartsWith("Histogram", StringComparison.Ordinal) => "histogram",
        var n => n,
    };

    /// <summary>"event 304", "events 300–302", "(event 4", "warning 408", "event ids 505": the id after such a word.</summary>
    [GeneratedRegex(@"\b(?:[Ee]vents?|[Ww]arning|event ids?)\s+(?<id>\d{1,3})\b")]
    private static partial Regex EventMention();
}
