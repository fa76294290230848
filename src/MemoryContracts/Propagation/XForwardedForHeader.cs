using Microsoft.Extensions.Primitives;

namespace MemoryContracts;

/// <summary>
/// <c>X-Forwarded-For: client, proxy1, proxy2</c>: a comma-separated list of nodes (one header or
/// several), each an address with or without a port (<see cref="ForwardedNode"/>), optionally in double
/// quotes. Empty list elements are skipped (as HTTP lists allow); anything else that is not a trusted
/// address makes the request untrusted. Parsed on spans; allocates only the addresses it parses.
/// </summary>
internal static class XForwardedForHeader
{
    /// <summary>Gets a value indicating whether every node the values name is trusted; <paramref name="budget"/> is how many nodes may still be read.</summary>
    public static bool NamesOnlyTrusted(StringValues values, TrustedNetworks networks, ref int budget)
    {
        foreach (var value in values)
        {
            var rest = value.AsSpan();
            while (!rest.IsEmpty)
            {
                var comma = rest.IndexOf(',');
                var element = (comma < 0 ? rest : rest[..comma]).Trim(HttpWhitespace.Characters);
                rest = comma < 0 ? default : rest[(comma + 1)..];
                if (element.IsEmpty)
                {
                    continue;
                }

                if (--budget < 0)
                {
                    return false;
                }

                if (element.Length >= 2 && element[0] == '"' && element[^1] == '"')
                {
                    element = element[1..^1];
                }

                if (!ForwardedNode.IsTrusted(element, networks))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
