using System.Text.Json;

namespace MemoryContracts;

/// <summary>
/// The RFC 9457 problem details of a shed response: <c>type</c>, <c>title</c>, <c>status</c>,
/// <c>detail</c>, and the extensions <c>module</c> and <c>level</c>.
/// </summary>
internal static class ShedProblem
{
    public const string ContentType = "application/problem+json";
    public const string Type = "https://tools.ietf.org/html/rfc6585#section-4";
    public const string Title = "Too Many Requests";

    public static byte[] Create(string? module, PressureLevel level, int retryAfterSeconds)
    {
        var levelName = MemoryContractsMetrics.LevelName(level);
        var owner = module is null ? "this endpoint (no module claims it)" : $"module '{module}'";
        var detail = $"The service is under {levelName} memory pressure and is shedding non-core requests; {owner} is not core. Retry after about {retryAfterSeconds} seconds.";

        using var buffer = new MemoryStream(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", Type);
            json.WriteString("title", Title);
            json.WriteNumber("status", 429);
            json.WriteString("detail", detail);
            if (module is null)
            {
                json.WriteNull("module");
            }
            else
            {
                json.WriteString("module", module);
            }

            json.WriteString("level", levelName);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
