using System.Text.Json;
using MemoryContracts.Tests.Infrastructure;

namespace MemoryContracts.Tests.Diagnostics;

public class AllocationProfileJsonTests
{
    [Fact]
    public void Write_StoppedProfile_WritesTotalsAndTopTypes()
    {
        using var profiler = new AllocationProfiler(new FakeTimeProvider());
        profiler.Profile.Record("App.Order", 1_000_000);
        profiler.Profile.Record("System.String", 40);

        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            AllocationProfileJson.Write(writer, profiler, top: 1);
            writer.WriteEndObject();
        }

        using var json = JsonDocument.Parse(stream.ToArray());
        var allocations = json.RootElement.GetProperty("allocations");
        Assert.False(allocations.GetProperty("running").GetBoolean());
        Assert.Equal(JsonValueKind.Null, allocations.GetProperty("startedAt").ValueKind);
        Assert.Equal(2, allocations.GetProperty("samples").GetInt64());
        var type = Assert.Single(allocations.GetProperty("types").EnumerateArray());
        Assert.Equal("App.Order", type.GetProperty("name").GetString());
        Assert.Equal(1, type.GetProperty("samples").GetInt64());
        Assert.InRange(type.GetProperty("share").GetDouble(), 0.9, 1.0);
    }
}
