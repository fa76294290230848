using System.Net.Http.Headers;

namespace MemoryContracts;

/// <summary>How long a pressured downstream is isolated: its <c>Retry-After</c>, clamped.</summary>
internal static class RetryAfterWindow
{
    /// <summary>The window when the downstream sends no (or an unreadable) <c>Retry-After</c>.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(5);

    /// <summary>The shortest window.</summary>
    public static readonly TimeSpan Min = TimeSpan.FromSeconds(1);

    /// <summary>The longest window: a downstream cannot shut a caller out for longer.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromSeconds(300);

    /// <summary>
    /// The window for a <c>Retry-After</c> of delta-seconds or an HTTP-date (relative to
    /// <paramref name="now"/>), clamped to [<see cref="Min"/>, <see cref="Max"/>]; <see cref="Default"/> when absent.
    /// </summary>
    public static TimeSpan From(RetryConditionHeaderValue? retryAfter, DateTimeOffset now)
    {
        TimeSpan window;
        if (retryAfter?.Delta is { } delta)
        {
            window = delta;
        }
        else if (retryAfter?.Date is { } date)
        {
            window = date - now;
        }
        else
        {
            return Default;
        }

        return window < Min ? Min : window > Max ? Max : window;
    }
}
