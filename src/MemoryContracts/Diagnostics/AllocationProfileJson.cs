using System.Text.Json;

namespace MemoryContracts;

/// <summary>
/// Writes the allocation profile as the <c>allocations</c> property of the <c>snapshot</c> JSON:
/// whether sampling runs, since when, the samples and estimated bytes in all, and the top types.
/// </summary>
internal static class AllocationProfileJson
{
    /// <summary>The property name in the snapshot.</summary>
    public const string PropertyName = "allocations";

    /// <summary>The default number of types written.</summary>
    public const int DefaultTop = 10;

    /// <summary>Writes <c>"allocations": { ... }</c> into the object being written.</summary>
    /// <param name="writer">The writer, inside an object.</param>
    /// <param name="profiler">The profiler to describe.</param>
    /// <param name="top">How many types to list.</param>
    public static void Write(Utf8JsonWriter writer, AllocationProfiler profiler, int top = DefaultTop)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(profiler);
        var profile = profiler.Profile;
        writer.WriteStartObject(PropertyName);
        writer.WriteBoolean("running", profiler.IsRunning);
        WriteTime(writer, "startedAt", profiler.StartedAt);
        WriteTime(writer, "stoppedAt", profiler.StoppedAt);
        writer.WriteNumber("samples", profile.Samples);
        writer.WriteNumber("estimatedBytes", profile.EstimatedBytes);
        writer.WriteStartArray("types");
        foreach (var type in profile.Top(top))
        {
            writer.WriteStartObject();
            writer.WriteString("name", type.TypeName);
            writer.WriteNumber("estimatedBytes", type.EstimatedBytes);
            writer.WriteNumber("samples", type.Samples);
            writer.WriteNumber("share", Math.Round(type.Share, 4));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteTime(Utf8JsonWriter writer, string name, DateTimeOffset? time)
    {
        if (time is { } value)
        {
            writer.WriteString(name, value);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
