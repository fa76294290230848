using Microsoft.AspNetCore.Routing.Patterns;

namespace MemoryContracts;

/// <summary>
/// The modules' <c>routes</c> prefixes, longest first, built once per contract. A prefix matches a
/// path on a segment boundary, ignoring case (as routing does): <c>/orders</c> matches
/// <c>/orders</c> and <c>/orders/7</c>, not <c>/ordersx</c>.
/// </summary>
internal sealed class RoutePrefixTable
{
    private readonly string[] _prefixes;
    private readonly EndpointModule[] _modules;

    public RoutePrefixTable(IEnumerable<(string Prefix, EndpointModule Module)> routes, EndpointModule unassigned)
    {
        ArgumentNullException.ThrowIfNull(routes);
        Unassigned = unassigned;

        // Longest first; among equal prefixes the first declared wins (OrderBy is stable).
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var ordered = routes
            .Select(r => (Prefix: Normalize(r.Prefix), r.Module))
            .Where(r => seen.Add(r.Prefix))
            .OrderByDescending(r => r.Prefix.Length)
            .ToArray();
        _prefixes = ordered.Select(r => r.Prefix).ToArray();
        _modules = ordered.Select(r => r.Module).ToArray();
    }

    /// <summary>Gets the module of paths no prefix matches.</summary>
    public EndpointModule Unassigned { get; }

    /// <summary>Gets the number of prefixes.</summary>
    public int Count => _prefixes.Length;

    /// <summary>Normalizes a prefix: a leading slash, no trailing slash; the root becomes empty (matches everything).</summary>
    public static string Normalize(string prefix)
    {
        var trimmed = prefix.Trim().TrimEnd('/');
        if (trimmed.Length == 0)
        {
            return string.Empty;
        }

        return trimmed[0] == '/' ? trimmed : "/" + trimmed;
    }

    /// <summary>Whether <paramref name="path"/> lies under <paramref name="prefix"/> (normalized) on a segment boundary.</summary>
    public static bool IsUnder(ReadOnlySpan<char> path, string prefix)
    {
        if (prefix.Length == 0)
        {
            return true;
        }

        return path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            && (path.Length == prefix.Length || path[prefix.Length] == '/');
    }

    /// <summary>The module owning the longest prefix of <paramref name="path"/>, else <see cref="Unassigned"/>. Allocation-free.</summary>
    public EndpointModule Match(ReadOnlySpan<char> path)
    {
        var prefixes = _prefixes;
        for (var i = 0; i < prefixes.Length; i++)
        {
            if (IsUnder(path, prefixes[i]))
            {
                return _modules[i];
            }
        }

        return Unassigned;
    }

    /// <summary>
    /// The module owning an endpoint's route pattern when its literal leading segments decide it;
    /// <see langword="null"/> when it depends on the values of route parameters (resolve per request).
    /// </summary>
    public EndpointModule? Match(RoutePattern pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var literal = LiteralPrefix(pattern, out var hasMore);
        for (var i = 0; i < _prefixes.Length; i++)
        {
            var prefix = _prefixes[i];
            if (IsUnder(literal, prefix))
            {
                return _modules[i];
            }

            // A longer prefix that the pattern's parameters might fill in: only the path can tell.
            if (hasMore && (literal.Length == 0 || (prefix.StartsWith(literal, StringComparison.OrdinalIgnoreCase) && prefix[literal.Length] == '/')))
            {
                return null;
            }
        }

        return Unassigned;
    }

    /// <summary>The literal leading segments of a pattern (<c>/orders/items</c> for <c>/orders/items/{id}</c>).</summary>
    internal static string LiteralPrefix(RoutePattern pattern, out bool hasMore)
    {
        var segments = pattern.PathSegments;
        var literal = string.Empty;
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            if (!segment.IsSimple || segment.Parts[0] is not RoutePatternLiteralPart part)
            {
                hasMore = true;
                return literal;
            }

            literal += "/" + part.Content;
        }

        hasMore = false;
        return literal;
    }
}
