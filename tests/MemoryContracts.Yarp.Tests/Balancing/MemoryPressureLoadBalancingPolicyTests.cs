using MemoryContracts.Yarp.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Model;

namespace MemoryContracts.Yarp.Tests.Balancing;

public sealed class MemoryPressureLoadBalancingPolicyTests
{
    private const int Picks = 1000;

    [Fact]
    public void Name_IsMemoryPressure() =>
        Assert.Equal("MemoryPressure", new PolicyFixture().Policy.Name);

    [Fact]
    public void PickDestination_NoneOrOne_NullOrThatOne()
    {
        var fixture = new PolicyFixture();
        var one = PolicyFixture.Destinations(1);

        Assert.Null(fixture.Policy.PickDestination(new DefaultHttpContext(), new ClusterState("c"), []));
        Assert.Same(one[0], fixture.Policy.PickDestination(new DefaultHttpContext(), new ClusterState("c"), one));
    }

    [Fact]
    public void PickDestination_TwoReports90And10_AlwaysTheLowerOne()
    {
        var fixture = new PolicyFixture();
        var d = PolicyFixture.Destinations(2);
        fixture.Report(d[0], 90);
        fixture.Report(d[1], 10);

        var tally = fixture.Tally(d, Picks);

        Assert.Equal(Picks, tally["d1"]);
    }

    [Fact]
    public void PickDestination_ThreeDestinations_PowerOfTwoChoicesNeverPicksTheWorst()
    {
        var fixture = new PolicyFixture();
        var d = PolicyFixture.Destinations(3);
        fixture.Report(d[0], 30);
        fixture.Report(d[1], 60);
        fixture.Report(d[2], 90);

        var tally = fixture.Tally(d, Picks);

        Assert.Equal(0, tally["d2"]);
        // d0 wins whenever it is drawn (2 pairs of 3); d1 only against d2 (1 pair of 3).
        Assert.InRange(tally["d0"], Picks * 0.6, Picks * 0.74);
        Assert.InRange(tally["d1"], Picks * 0.26, Picks * 0.4);
    }

    [Fact]
    public void PickDestination_UsageWithinTolerance_FewerInFlightWins()
    {
        var fixture = new PolicyFixture();
        var d = PolicyFixture.Destinations(2);
        fixture.Report(d[0], 50);
        fixture.Report(d[1], 58);
        d[0].ConcurrentRequestCount = 5;
        d[1].ConcurrentRequestCount = 1;

        var tally = fixture.Tally(d, Picks);

        Assert.Equal(Picks, tally["d1"]);
    }

    [Fact]
    public void PickDestination_UnknownAgainstLowUsage_FewerInFlightWins()
    {
        var fixture = new PolicyFixture();
        var d = PolicyFixture.Destinations(2);
        fixture.Report(d[1], 5);
        d[1].ConcurrentRequestCount = 3;

        var tally = fixture.Tally(d, Picks);

        Assert.Equal(Picks, tally["d0"]);
    }

    [Fact]
    public void PickDestination_AllTied_SharedAtRandom()
    {
        var fixture = new PolicyFixture();
        var d = PolicyFixture.Destinations(2);

        var tally = fixture.Tally(d, Picks);

        Assert.InRange(tally["d0"], Picks * 0.4, Picks * 0.6);
    }

    [Fact]
    public void FadedUsage_EachHalfLife_Halves()
    {
        var fixture = new PolicyFixture();
        var d = PolicyFixture.Destinations(1)[0];
        fixture.Report(d, 80);

        Assert.Equal(80, fixture.Policy.FadedUsage(d, fixture.Now, fixture.Options), 6);
        fixture.Time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(40, fixture.Policy.FadedUsage(d, fixture.Now, fixture.Options), 6);
        fixture.Time.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(10, fixture.Policy.FadedUsage(d, fixture.Now, fixture.Options), 6);
    }

    [Fact]
    public void PickDestination_HighReportFades_BecomesATieAndIsPickedAgain()
    {
        var fixture = new PolicyFixture();
        var d = PolicyFixture.Destinations(2);
        fixture.Report(d[0], 90);
        fixture.Report(d[1], 10);
        fixture.Time.Advance(TimeSpan.FromSeconds(6));
        fixture.Report(d[1], 10);
        Assert.Equal(0, fixture.Tally(d, 100)["d0"]);

        // 90% after 3 half-lives is 11.25%: within 10 points of the fresh 10%.
        fixture.Time.Advance(TimeSpan.FromSeconds(3));
        fixture.Report(d[1], 10);

        Assert.InRange(fixture.Tally(d, Picks)["d0"], Picks * 0.4, Picks * 0.6);
    }

    [Fact]
    public void PickDestination_FreshReportAboveMax_SkippedEvenWhenDrawnWithATie()
    {
        var fixture = new PolicyFixture();
        var d = PolicyFixture.Destinations(3);
        fixture.Report(d[0], 97);
        fixture.Report(d[1], 90);
        fixture.Report(d[2], 90);
        d[1].ConcurrentRequestCount = 9;
        d[2].ConcurrentRequestCount = 9;

        var tally = fixture.Tally(d, Picks);

        Assert.Equal(0, tally["d0"]);
        Assert.InRange(tally["d1"], Picks * 0.4, Picks * 0.6);
    }

    [Fact]
    public void PickDestination_ReportAboveMaxOlderThanHalfLife_NoLongerSkipped()
    {
        var fixture = new PolicyFixture();
        var d = PolicyFixture.Destinations(2);
        fixture.Report(d[0], 97);
        Assert.True(fixture.Policy.IsAvoided(d[0], fixture.Now, fixture.Options));

        fixture.Time.Advance(TimeSpan.FromSeconds(3.5));

        Assert.False(fixture.Policy.IsAvoided(d[0], fixture.Now, fixture.Options));
    }

    [Fact]
    public void PickDestination_AllAboveMax_StillPicksOne()
    {
        var fixture = new PolicyFixture();
        var d = PolicyFixture.Destinations(2);
        fixture.Report(d[0], 99);
        fixture.Report(d[1], 97);

        var tally = fixture.Tally(d, Picks);

        Assert.Equal(Picks, tally["d0"] + tally["d1"]);
        Assert.True(tally["d0"] > 0 && tally["d1"] > 0);
    }

    [Fact]
    public void PickDestination_DestinationShedding_SkippedUntilItsWindowEnds()
    {
        var fixture = new PolicyFixture();
        var d = PolicyFixture.Destinations(2);
        fixture.Reject(d[0], TimeSpan.FromSeconds(2));

        Assert.Equal(0, fixture.Tally(d, Picks)["d0"]);
        fixture.Time.Advance(TimeSpan.FromSeconds(2));

        Assert.True(fixture.Tally(d, Picks)["d0"] > 0);
    }

    [Fact]
    public void PickDestination_AfterWarmUp_AllocatesNothing()
    {
        var fixture = new PolicyFixture();
        var d = PolicyFixture.Destinations(4);
        fixture.Report(d[0], 97);
        fixture.Report(d[1], 40);
        fixture.Report(d[2], 45);
        var context = new DefaultHttpContext();
        var cluster = new ClusterState("c");
        fixture.Policy.PickDestination(context, cluster, d);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            fixture.Policy.PickDestination(context, cluster, d);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
