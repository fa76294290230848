using Polly;

namespace MemoryContracts;

/// <summary>
/// One downstream authority under adaptive throttling: its controller, and the Polly pipeline (one
/// <see cref="DownstreamThrottleStrategy"/>) every call to it goes through.
/// </summary>
internal sealed class ThrottledDownstream
{
    public ThrottledDownstream(DownstreamThrottleController controller, ResiliencePipeline<HttpResponseMessage> pipeline)
    {
        Controller = controller;
        Pipeline = pipeline;
    }

    /// <summary>Gets the downstream's <c>host:port</c>.</summary>
    public string Authority => Controller.Authority;

    /// <summary>Gets the state and decisions of throttling for this authority.</summary>
    public DownstreamThrottleController Controller { get; }

    /// <summary>Gets the pipeline calls to this authority go through.</summary>
    public ResiliencePipeline<HttpResponseMessage> Pipeline { get; }
}
