using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy.Transforms;

namespace MemoryContracts;

/// <summary>
/// Runs on every proxied response: records what the destination reports (<see cref="DestinationReportLearner"/>),
/// then removes the pressure headers from what the client gets.
/// </summary>
internal sealed class MemoryHeadersResponseTransform : ResponseTransform
{
    private readonly DestinationReportLearner _learner;

    public MemoryHeadersResponseTransform(DestinationReportLearner learner)
    {
        _learner = learner;
    }

    public override ValueTask ApplyAsync(ResponseTransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var received = context.ProxyResponse;
        if (received is not null && context.HttpContext.Features.Get<IReverseProxyFeature>()?.ProxiedDestination is { } destination)
        {
            _learner.Learn(destination, received);
        }

        ProxiedHeaders.Strip(received?.Headers, context.HttpContext.Response.Headers);
        return ValueTask.CompletedTask;
    }
}
