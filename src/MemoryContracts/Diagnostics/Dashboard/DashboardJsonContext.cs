using System.Text.Json.Serialization;

namespace MemoryContracts;

/// <summary>
/// The source-generated serializer of the dashboard's history JSON (no reflection, trimming-safe):
/// snake_case names, nulls written (a missing reading is <c>null</c>, never an absent key).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    GenerationMode = JsonSourceGenerationMode.Default)]
[JsonSerializable(typeof(HistoryDocument))]
internal sealed partial class DashboardJsonContext : JsonSerializerContext
{
}
