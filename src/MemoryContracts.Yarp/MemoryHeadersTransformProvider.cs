using Yarp.ReverseProxy.Transforms.Builder;

namespace MemoryContracts;

/// <summary>Adds the pressure-header transforms to every route of the gateway.</summary>
internal sealed class MemoryHeadersTransformProvider : ITransformProvider
{
    private readonly MemoryHeadersResponseTransform _response;
    private readonly MemoryHeadersTrailersTransform _trailers;

    public MemoryHeadersTransformProvider(MemoryHeadersResponseTransform response, MemoryHeadersTrailersTransform trailers)
    {
        _response = response;
        _trailers = trailers;
    }

    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.ResponseTransforms.Add(_response);
        context.ResponseTrailersTransforms.Add(_trailers);
    }
}
