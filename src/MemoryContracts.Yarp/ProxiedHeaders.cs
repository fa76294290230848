using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace MemoryContracts;

/// <summary>
/// Reads headers of a proxied response and removes the pressure headers from what the gateway relays,
/// without allocating for the usual single-valued header.
/// </summary>
internal static class ProxiedHeaders
{
    private const string MemoryHeaderPrefix = "X-Memory-";

    /// <summary>Gets the values of <paramref name="name"/> as received (not validated by <see cref="HttpClient"/>).</summary>
    public static StringValues Get(HttpHeaders headers, string name)
    {
        if (!headers.NonValidated.TryGetValues(name, out var values) || values.Count == 0)
        {
            return StringValues.Empty;
        }

        if (values.Count == 1)
        {
            return values.ToString();
        }

        var array = new string[values.Count];
        var i = 0;
        foreach (var value in values)
        {
            array[i++] = value;
        }

        return array;
    }

    /// <summary>Gets a value indicating whether <paramref name="name"/> is one the gateway must not relay.</summary>
    public static bool IsPressureHeader(string name) =>
        name.StartsWith(MemoryHeaderPrefix, StringComparison.OrdinalIgnoreCase)
        || name.Equals(MemoryHeaderNames.EndpointLoadMetrics, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Removes from <paramref name="relayed"/> every <c>X-Memory-*</c> and <c>endpoint-load-metrics</c>
    /// value the destination sent (<paramref name="received"/>). YARP appends what it copies to values the
    /// gateway already set, so values written earlier (the gateway's own report, when it runs
    /// <c>UseMemoryContracts</c>) stay.
    /// </summary>
    public static void Strip(HttpHeaders? received, IHeaderDictionary relayed)
    {
        if (received is null)
        {
            return;
        }

        foreach (var header in received.NonValidated)
        {
            if (!IsPressureHeader(header.Key) || !relayed.TryGetValue(header.Key, out var values))
            {
                continue;
            }

            var own = values.Count - header.Value.Count;
            if (own <= 0)
            {
                relayed.Remove(header.Key);
            }
            else
            {
                relayed[header.Key] = own == 1 ? new StringValues(values[0]) : new StringValues(values.ToArray()[..own]);
            }
        }
    }
}
