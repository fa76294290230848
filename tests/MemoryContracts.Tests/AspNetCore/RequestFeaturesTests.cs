using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace MemoryContracts.Tests.AspNetCore;

public sealed class RequestFeaturesTests
{
    [Fact]
    public void Endpoint_NoEndpointFeature_ReturnsNull()
    {
        var context = new DefaultHttpContext();

        Assert.Null(RequestFeatures.Endpoint(context.Features));
    }

    [Fact]
    public void Endpoint_SetByRouting_ReturnsWhatGetEndpointReturns()
    {
        var context = new DefaultHttpContext();
        var endpoint = new Endpoint(_ => Task.CompletedTask, EndpointMetadataCollection.Empty, "e");
        context.SetEndpoint(endpoint);

        Assert.Same(endpoint, RequestFeatures.Endpoint(context.Features));
        Assert.Same(context.GetEndpoint(), RequestFeatures.Endpoint(context.Features));
    }

    [Fact]
    public void RemoteAddress_NoConnectionFeature_ReturnsNull()
    {
        var context = new DefaultHttpContext();

        Assert.Null(RequestFeatures.RemoteAddress(context.Features));
    }

    [Fact]
    public void RemoteAddress_ConnectionFeature_ReturnsItsRemoteAddress()
    {
        var context = new DefaultHttpContext();
        context.Features.Set<IHttpConnectionFeature>(new HttpConnectionFeature { RemoteIpAddress = IPAddress.Parse("10.1.2.3") });

        Assert.Equal(IPAddress.Parse("10.1.2.3"), RequestFeatures.RemoteAddress(context.Features));
    }

    [Fact]
    public void SetPressure_Feature_IsWhatGetReturns()
    {
        var context = new DefaultHttpContext();
        var feature = new MemoryPressureFeature("catalog", null, null, false);

        RequestFeatures.SetPressure(context.Features, feature);

        Assert.Same(feature, context.Features.Get<IMemoryPressureFeature>());
    }
}
