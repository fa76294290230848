using System.Net;
using MemoryContracts.Yarp.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Testing;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace MemoryContracts.Yarp.Tests.Health;

public sealed class MemoryPressureActiveHealthPolicyTests
{
    private readonly PolicyFixture _fixture = new();
    private readonly RecordingHealthUpdater _updater = new();
    private readonly FakeLogger<MemoryPressureActiveHealthPolicy> _logger = new();
    private readonly DestinationState _destination = new("d0");

    private MemoryPressureActiveHealthPolicy NewPolicy() => new(
        new DestinationReportLearner(_fixture.Store, _fixture.Time, new FakeLogger<DestinationReportLearner>()),
        _updater,
        _logger);

    [Fact]
    public void Name_IsMemoryPressure() => Assert.Equal("MemoryPressure", NewPolicy().Name);

    [Fact]
    public void ProbingCompleted_ProbeAnswerReportsUsage_TheGatewayLearnsIt()
    {
        using var answer = Answer(HttpStatusCode.OK, usage: "92%");

        NewPolicy().ProbingCompleted(Cluster(), [new DestinationProbingResult(_destination, answer, null)]);

        Assert.Equal(92, _fixture.Store.Find(_destination)!.UsagePercent, 6);
        Assert.Equal(DestinationHealth.Healthy, Assert.Single(Assert.Single(_updater.ActiveRounds)).NewActiveHealth);
    }

    [Fact]
    public void ProbingCompleted_ProbeAnswerReportsOrca_ApplicationUtilizationWins()
    {
        using var answer = Answer(HttpStatusCode.OK, usage: "40%");
        answer.Headers.TryAddWithoutValidation("endpoint-load-metrics", "TEXT application_utilization=0.7, mem_utilization=0.4");

        NewPolicy().ProbingCompleted(Cluster(), [new DestinationProbingResult(_destination, answer, null)]);

        Assert.Equal(70, _fixture.Store.Find(_destination)!.UsagePercent, 6);
    }

    [Fact]
    public void ProbingCompleted_UnreadyAnswerReportingUsage_LearnsTheUsageAndCountsAFailure()
    {
        using var answer = Answer(HttpStatusCode.ServiceUnavailable, usage: "97%");
        var policy = NewPolicy();

        policy.ProbingCompleted(Cluster(), [new DestinationProbingResult(_destination, answer, null)]);

        Assert.Equal(97, _fixture.Store.Find(_destination)!.UsagePercent, 6);
        Assert.Equal(DestinationHealth.Healthy, Assert.Single(_updater.ActiveRounds[0]).NewActiveHealth);
    }

    [Fact]
    public void ProbingCompleted_TwoFailuresInARow_UnhealthyAtTheSecondThenHealthyAtTheNextSuccess()
    {
        var policy = NewPolicy();
        var cluster = Cluster();

        using (var failed = Answer(HttpStatusCode.ServiceUnavailable))
        {
            policy.ProbingCompleted(cluster, [new DestinationProbingResult(_destination, failed, null)]);
        }

        policy.ProbingCompleted(cluster, [new DestinationProbingResult(_destination, null, new HttpRequestException("refused"))]);
        using (var ok = Answer(HttpStatusCode.OK))
        {
            policy.ProbingCompleted(cluster, [new DestinationProbingResult(_destination, ok, null)]);
        }

        Assert.Equal(
            [DestinationHealth.Healthy, DestinationHealth.Unhealthy, DestinationHealth.Healthy],
            _updater.ActiveRounds.Select(r => Assert.Single(r).NewActiveHealth));
    }

    [Fact]
    public void ProbingCompleted_ThresholdFromClusterMetadata_UnhealthyOnlyAtThatManyFailures()
    {
        var policy = NewPolicy();
        var cluster = Cluster(new Dictionary<string, string> { ["ConsecutiveFailuresHealthPolicy.Threshold"] = "3" });

        for (var i = 0; i < 3; i++)
        {
            policy.ProbingCompleted(cluster, [new DestinationProbingResult(_destination, null, new HttpRequestException("refused"))]);
        }

        Assert.Equal(
            [DestinationHealth.Healthy, DestinationHealth.Healthy, DestinationHealth.Unhealthy],
            _updater.ActiveRounds.Select(r => Assert.Single(r).NewActiveHealth));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("two")]
    [InlineData("2.5")]
    [InlineData("")]
    public void ProbingCompleted_BadThresholdMetadata_DefaultOfTwoUsedAndLoggedOnce(string value)
    {
        var policy = NewPolicy();
        var cluster = Cluster(new Dictionary<string, string> { ["ConsecutiveFailuresHealthPolicy.Threshold"] = value });

        policy.ProbingCompleted(cluster, [new DestinationProbingResult(_destination, null, new HttpRequestException("refused"))]);
        policy.ProbingCompleted(cluster, [new DestinationProbingResult(_destination, null, new HttpRequestException("refused"))]);

        Assert.Equal(
            [DestinationHealth.Healthy, DestinationHealth.Unhealthy],
            _updater.ActiveRounds.Select(r => Assert.Single(r).NewActiveHealth));
        var logged = Assert.Single(_logger.Collector.GetSnapshot());
        Assert.Equal(902, logged.Id.Id);
        Assert.Contains("ConsecutiveFailuresHealthPolicy.Threshold", logged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ProbingCompleted_SeveralDestinations_EachCountedAndJudgedOnItsOwn()
    {
        var other = new DestinationState("d1");
        var policy = NewPolicy();
        var cluster = Cluster();
        using var ok = Answer(HttpStatusCode.OK, usage: "10%");

        for (var i = 0; i < 2; i++)
        {
            policy.ProbingCompleted(cluster, [
                new DestinationProbingResult(_destination, null, new HttpRequestException("refused")),
                new DestinationProbingResult(other, ok, null),
            ]);
        }

        var last = _updater.ActiveRounds[^1];
        Assert.Equal(DestinationHealth.Unhealthy, last.Single(h => h.Destination == _destination).NewActiveHealth);
        Assert.Equal(DestinationHealth.Healthy, last.Single(h => h.Destination == other).NewActiveHealth);
        Assert.Equal(10, _fixture.Store.Find(other)!.UsagePercent, 6);
        Assert.Null(_fixture.Store.Find(_destination));
    }

    [Fact]
    public void ProbingCompleted_NoResults_ChangesNothing()
    {
        NewPolicy().ProbingCompleted(Cluster(), []);

        Assert.Empty(_updater.ActiveRounds);
    }

    private static HttpResponseMessage Answer(HttpStatusCode status, string? usage = null)
    {
        var answer = new HttpResponseMessage(status);
        if (usage is not null)
        {
            answer.Headers.TryAddWithoutValidation("X-Memory-Usage", usage);
        }

        return answer;
    }

    private static ClusterState Cluster(IReadOnlyDictionary<string, string>? metadata = null)
    {
        var config = new ClusterConfig { ClusterId = "c", Metadata = metadata };
        return new ClusterState("c", new ClusterModel(config, new HttpMessageInvoker(new HttpClientHandler())));
    }
}
