namespace MemoryContracts;

/// <summary>
/// Client-side adaptive throttling (Google SRE book, "Handling Overload"): the probability of refusing a
/// call locally, from the calls made (<c>requests</c>) and accepted (<c>accepts</c>) over the recent window.
/// </summary>
internal static class AdaptiveThrottling
{
    /// <summary>
    /// The highest refusal probability. Without a ceiling, the SRE formula tends to 1 while a downstream
    /// refuses everything (R / (R + 1)), and once it recovers the few calls let through rebuild the accepts
    /// so slowly that callers stay shut out for minutes; keeping one call in ten flowing (Envoy's admission
    /// control keeps one in five by default) lets a recovered downstream be seen within the window.
    /// </summary>
    public const double MaxRefusalProbability = 0.9;

    /// <summary>
    /// max(0, (requests − K × accepts) / (requests + 1)), at most <see cref="MaxRefusalProbability"/>:
    /// 0 while at least one call in K is accepted; rising as rejections dominate.
    /// </summary>
    public static double RefusalProbability(long requests, long accepts, double acceptsMultiplier)
    {
        var excess = requests - (acceptsMultiplier * accepts);
        return excess <= 0 ? 0 : Math.Min(MaxRefusalProbability, excess / (requests + 1));
    }
}
