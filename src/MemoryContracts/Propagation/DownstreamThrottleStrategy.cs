using Polly;
using Polly.Telemetry;

namespace MemoryContracts;

/// <summary>
/// The Polly.Core strategy of downstream backoff, built like Polly's circuit breaker: a small strategy
/// that asks its controller (<see cref="DownstreamThrottleController"/>) before each call and tells it
/// each answer. A refused call fails with <see cref="MemoryPressureRejectedException"/> without running
/// the callback; a call made while serving a core request (<see cref="CoreRequestFlow"/>) always runs.
/// A call that fails (an exception, a cancellation) counts for nothing: it says nothing about memory.
/// Completes synchronously, without allocating, when the callback does.
/// </summary>
internal sealed class DownstreamThrottleStrategy : ResilienceStrategy<HttpResponseMessage>
{
    private readonly DownstreamThrottleController _controller;
    private readonly ResilienceStrategyTelemetry _telemetry;

    public DownstreamThrottleStrategy(DownstreamThrottleController controller, ResilienceStrategyTelemetry telemetry)
    {
        _controller = controller;
        _telemetry = telemetry;
    }

    protected override ValueTask<Outcome<HttpResponseMessage>> ExecuteCore<TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback, ResilienceContext context, TState state)
    {
        if (_controller.OnCall(CoreRequestFlow.IsActive, out var started) is { } refused)
        {
            _telemetry.SetTelemetrySource(refused);
            return Outcome.FromExceptionAsValueTask<HttpResponseMessage>(refused);
        }

        var pending = callback(context, state);
        if (!pending.IsCompletedSuccessfully)
        {
            return AnsweredAsync(pending, started);
        }

        var outcome = pending.Result;
        Answered(outcome, started);
        return new ValueTask<Outcome<HttpResponseMessage>>(outcome);
    }

    private async ValueTask<Outcome<HttpResponseMessage>> AnsweredAsync(ValueTask<Outcome<HttpResponseMessage>> pending, long started)
    {
        var outcome = await pending.ConfigureAwait(false);
        Answered(outcome, started);
        return outcome;
    }

    private void Answered(Outcome<HttpResponseMessage> outcome, long started)
    {
        if (outcome.Result is { } response)
        {
            _controller.OnResponse(response, started);
        }
    }
}
