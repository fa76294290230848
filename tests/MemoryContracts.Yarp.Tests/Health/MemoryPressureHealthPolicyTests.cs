using MemoryContracts.Yarp.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace MemoryContracts.Yarp.Tests.Health;

public sealed class MemoryPressureHealthPolicyTests
{
    private readonly PolicyFixture _fixture = new();
    private readonly RecordingHealthUpdater _updater = new();
    private readonly ClusterState _cluster = new("c");
    private readonly DestinationState _destination = new("d0");

    private MemoryPressureHealthPolicy Policy => new(_fixture.Store, _updater, _fixture.Time);

    [Fact]
    public void Name_IsMemoryPressure() => Assert.Equal("MemoryPressure", Policy.Name);

    [Fact]
    public void RequestProxied_InsideRejectionWindow_UnhealthyForWhatIsLeft()
    {
        _fixture.Reject(_destination, TimeSpan.FromSeconds(2));
        _fixture.Time.Advance(TimeSpan.FromSeconds(0.5));

        Policy.RequestProxied(new DefaultHttpContext(), _cluster, _destination);

        var call = Assert.Single(_updater.Calls);
        Assert.Equal(DestinationHealth.Unhealthy, call.Health);
        Assert.Equal(TimeSpan.FromSeconds(1.5), call.Period);
    }

    [Fact]
    public void RequestProxied_AfterRejectionWindow_Healthy()
    {
        _fixture.Reject(_destination, TimeSpan.FromSeconds(2));
        _fixture.Time.Advance(TimeSpan.FromSeconds(2));

        Policy.RequestProxied(new DefaultHttpContext(), _cluster, _destination);

        Assert.Equal(DestinationHealth.Healthy, Assert.Single(_updater.Calls).Health);
    }

    [Fact]
    public void RequestProxied_NeverRejected_Healthy()
    {
        Policy.RequestProxied(new DefaultHttpContext(), _cluster, _destination);

        Assert.Equal(DestinationHealth.Healthy, Assert.Single(_updater.Calls).Health);
    }

    [Fact]
    public void RequestProxied_TransportError_LeavesHealthAlone()
    {
        var context = new DefaultHttpContext();
        context.Features.Set<IForwarderErrorFeature>(new RequestFailed());

        Policy.RequestProxied(context, _cluster, _destination);

        Assert.Empty(_updater.Calls);
    }

    private sealed class RequestFailed : IForwarderErrorFeature
    {
        public ForwarderError Error => ForwarderError.Request;

        public Exception? Exception => null;
    }
}
