using System.Text.Json;

namespace MemoryContracts.Tests.Dashboard;

public sealed class HistoryDocumentTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Create_BeforeTheGuardsFirstSample_HasNoSnapshotAndTheContractsVersion()
    {
        var contract = new MemoryContract { Version = "v3.1", Mode = MemoryContractMode.Shadow, SamplingInterval = TimeSpan.FromMilliseconds(250) };

        var document = HistoryDocument.Create(new DashboardHistoryView(Now, [], []), contract, MemoryPressureSnapshot.Initial);

        Assert.Empty(document.Snapshots);
        Assert.Equal("normal", document.Level);
        Assert.Equal("v3.1", document.ContractVersion);
        Assert.Equal("shadow", document.Mode);
        Assert.Equal(250, document.SamplingIntervalMs);
    }

    [Fact]
    public void Create_SnapshotInForce_IsAppendedStampedWithTheReadTime()
    {
        var recorded = DashboardSnapshots.Of(PressureLevel.Normal, 40);
        var current = DashboardSnapshots.Of(PressureLevel.High, 93);
        var view = new DashboardHistoryView(Now, [new DashboardPoint(Now.AddSeconds(-30), recorded)], []);

        var document = HistoryDocument.Create(view, new MemoryContract(), current);

        Assert.Equal([Now.AddSeconds(-30), Now], document.Snapshots.Select(s => s.Timestamp));
        Assert.Equal(["normal", "high"], document.Snapshots.Select(s => s.Level));
        Assert.Equal("high", document.Level);
    }

    [Fact]
    public void Serialize_NonFiniteRatios_AreWrittenAsNull()
    {
        var snapshot = new MemoryPressureSnapshot(PressureLevel.Critical, 100, 0, Now, [new ModulePressure("catalog", PressureLevel.Critical, double.PositiveInfinity, double.NaN, 1)])
        {
            HeapRatio = double.NaN,
        };

        var json = JsonSerializer.Serialize(
            HistoryDocument.Create(new DashboardHistoryView(Now, [], []), new MemoryContract(), snapshot),
            DashboardJsonContext.Default.HistoryDocument);

        using var parsed = JsonDocument.Parse(json);
        var only = Assert.Single(parsed.RootElement.GetProperty("snapshots").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, only.GetProperty("heap_ratio").ValueKind);
        var module = Assert.Single(only.GetProperty("modules").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, module.GetProperty("heap_ratio").ValueKind);
        Assert.Equal(JsonValueKind.Null, module.GetProperty("alloc_rate_ratio").ValueKind);
        Assert.Equal(1, module.GetProperty("gc_pause_ratio").GetDouble());
    }
}
