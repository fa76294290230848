using System.Text.Json;

namespace MemoryContracts;

/// <summary>
/// What leak detection (<see cref="LeakWatch"/>) and the allocation profile (<see cref="AllocationProfiler"/>)
/// know now, written into the health data of both checks and into the <c>snapshot</c> JSON.
/// </summary>
internal sealed class DiagnosticsState
{
    /// <summary>The name of the snapshot property with the leak verdict.</summary>
    public const string LeakPropertyName = "leak";

    private const double BytesPerMegabyte = 1024 * 1024;

    public DiagnosticsState(LeakWatch leaks, AllocationProfiler allocations)
    {
        ArgumentNullException.ThrowIfNull(leaks);
        ArgumentNullException.ThrowIfNull(allocations);
        Leaks = leaks;
        Allocations = allocations;
    }

    public LeakWatch Leaks { get; }

    public AllocationProfiler Allocations { get; }

    /// <summary>
    /// Adds <c>leak_suspected</c> (and, when suspected, <c>leak_grew</c>, <c>leak_full_gcs</c>,
    /// <c>leak_heap_growth_mb</c>) and, when the profile has a sample, <c>top_allocator</c> and
    /// <c>top_allocator_share</c>.
    /// </summary>
    public void AddHealthData(Dictionary<string, object> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var verdict = Leaks.Current;
        data["leak_suspected"] = verdict.Suspected;
        if (verdict.Suspected)
        {
            data["leak_grew"] = string.Join(",", LeakSignalNames.Of(verdict.Grew));
            data["leak_full_gcs"] = verdict.FullGcs;
            data["leak_heap_growth_mb"] = Math.Round(verdict.HeapGrowthBytes / BytesPerMegabyte, 1);
        }

        if (Allocations.Profile.TopAllocator() is { } top)
        {
            data["top_allocator"] = top.TypeName;
            data["top_allocator_share"] = Math.Round(top.Share, 3);
        }
    }

    /// <summary>Writes <c>"leak": { ... }</c> and <c>"allocations": { ... }</c> into the object being written.</summary>
    public void WriteJson(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var verdict = Leaks.Current;
        writer.WriteStartObject(LeakPropertyName);
        writer.WriteBoolean("enabled", Leaks.Enabled);
        writer.WriteBoolean("suspected", verdict.Suspected);
        writer.WriteStartArray("grew");
        foreach (var name in LeakSignalNames.Of(verdict.Grew))
        {
            writer.WriteStringValue(name);
        }

        writer.WriteEndArray();
        writer.WriteNumber("fullGcs", verdict.FullGcs);
        WriteGrowth(writer, "heapBytes", verdict.Heap);
        WriteGrowth(writer, "threadPoolThreads", verdict.ThreadPoolThreads);
        WriteGrowth(writer, "activeTimers", verdict.Timers);
        writer.WriteEndObject();

        AllocationProfileJson.Write(writer, Allocations);
    }

    private static void WriteGrowth(Utf8JsonWriter writer, string name, in GrowthVerdict growth)
    {
        writer.WriteStartObject(name);
        writer.WriteBoolean("suspected", growth.Suspected);
        writer.WriteNumber("first", growth.First);
        writer.WriteNumber("last", growth.Last);
        writer.WriteNumber("growth", growth.Growth);
        writer.WriteNumber("growingSteps", growth.GrowingSteps);
        writer.WriteEndObject();
    }
}
