namespace MemoryContracts;

/// <summary>
/// Where downstream backoff draws its random numbers (uniform in [0, 1)): <see cref="Random.Shared"/>
/// unless a test registers its own to make refusals deterministic.
/// </summary>
internal sealed class ThrottleRandom
{
    private readonly Func<double> _next;

    public ThrottleRandom(Func<double> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        _next = next;
    }

    /// <summary>Gets the thread-safe default.</summary>
    public static ThrottleRandom Shared { get; } = new(Random.Shared.NextDouble);

    /// <summary>The next number in [0, 1).</summary>
    public double Next() => _next();
}
