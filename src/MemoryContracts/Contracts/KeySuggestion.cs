namespace MemoryContracts;

/// <summary>Finds the known name closest to a misspelt one, for "did you mean" hints.</summary>
internal static class KeySuggestion
{
    /// <summary>Returns the closest of <paramref name="known"/> within a small edit distance, or <see langword="null"/>.</summary>
    public static string? Closest(string given, IEnumerable<string> known)
    {
        if (given.Length > 64)
        {
            return null;
        }

        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            var distance = Distance(given.ToLowerInvariant(), candidate);
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        var allowed = Math.Max(2, given.Length / 3);
        if (bestDistance <= allowed)
        {
            return best;
        }

        // A shortened or lengthened key ('retry_after' for 'retry_after_seconds').
        return given.Length < 3 ? null : known.FirstOrDefault(k =>
            k.StartsWith(given, StringComparison.OrdinalIgnoreCase) || given.StartsWith(k, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>" (did you mean 'x'?)", or nothing.</summary>
    public static string Hint(string given, IEnumerable<string> known) =>
        Closest(given, known) is { } match ? $" (did you mean '{match}'?)" : string.Empty;

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
