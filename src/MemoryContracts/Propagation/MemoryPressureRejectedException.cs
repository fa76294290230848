using System.Globalization;
using Polly;

namespace MemoryContracts;

/// <summary>
/// The exception an outbound call fails with when MemoryContracts refuses it locally because most of
/// the recent calls to that downstream authority (<c>host:port</c>) were memory rejections (downstream
/// backoff, DESIGN §13). The call never reached the network. Calls made while serving a request of a
/// core module are never refused this way. Handle it as any failed call to that downstream: degrade, or
/// answer from a cache.
/// </summary>
/// <remarks>
/// It is a Polly <see cref="ExecutionRejectedException"/>, as Polly's own circuit-breaker and rate-limiter
/// rejections are, so code that already handles those handles this one.
/// </remarks>
public sealed class MemoryPressureRejectedException : ExecutionRejectedException
{
    private const string DefaultMessage = "The call was refused locally: the downstream is shedding load under memory pressure.";

    /// <summary>Initializes a new instance with a default message.</summary>
    public MemoryPressureRejectedException()
        : base(DefaultMessage)
    {
    }

    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">The message.</param>
    public MemoryPressureRejectedException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with a message and the exception behind it.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The exception behind this one.</param>
    public MemoryPressureRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance for a call to <paramref name="authority"/> refused with <paramref name="refusalProbability"/>.</summary>
    internal MemoryPressureRejectedException(string authority, double refusalProbability)
        : base(string.Create(CultureInfo.InvariantCulture,
            $"The call to {authority} was refused locally: most recent calls to it were memory rejections, so calls outside core requests are refused with probability {refusalProbability:0.00}."))
    {
        Authority = authority;
        RefusalProbability = refusalProbability;
    }

    /// <summary>Gets the downstream authority (<c>host:port</c>) the call was for, or <see langword="null"/> when not known.</summary>
    public string? Authority { get; }

    /// <summary>Gets the probability with which calls to <see cref="Authority"/> were being refused when this one was, in (0, 0.9].</summary>
    public double RefusalProbability { get; }
}
