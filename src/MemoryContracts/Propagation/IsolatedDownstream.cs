using Polly;
using Polly.CircuitBreaker;

namespace MemoryContracts;

/// <summary>
/// One isolated downstream authority: a Polly circuit breaker held open by its
/// <see cref="CircuitBreakerManualControl"/> until <see cref="Until"/>, when the timer closes it.
/// </summary>
internal sealed class IsolatedDownstream
{
    public IsolatedDownstream(string authority, ResiliencePipeline pipeline, CircuitBreakerManualControl control, DateTimeOffset since, DateTimeOffset until)
    {
        Authority = authority;
        Pipeline = pipeline;
        Control = control;
        Since = since;
        Until = until;
    }

    /// <summary>Gets the downstream's <c>host:port</c>.</summary>
    public string Authority { get; }

    /// <summary>Gets the pipeline calls to the downstream go through while it is isolated (they fail fast).</summary>
    public ResiliencePipeline Pipeline { get; }

    /// <summary>Gets the control that holds the circuit open.</summary>
    public CircuitBreakerManualControl Control { get; }

    /// <summary>Gets when the isolation began.</summary>
    public DateTimeOffset Since { get; }

    /// <summary>Gets or sets when the isolation ends (guarded by the owner's lock).</summary>
    public DateTimeOffset Until { get; set; }

    /// <summary>Gets or sets the timer that ends the isolation.</summary>
    public ITimer? Timer { get; set; }
}
