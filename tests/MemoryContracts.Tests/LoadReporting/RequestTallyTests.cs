using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace MemoryContracts.Tests.LoadReporting;

public sealed class RequestTallyTests
{
    private static (DefaultHttpContext Context, CompletingResponseFeature Response) Request()
    {
        var context = new DefaultHttpContext();
        var response = new CompletingResponseFeature();
        context.Features.Set<IHttpResponseFeature>(response);
        return (context, response);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(599)]
    public void CountRequest_Completed5xx_CountsARequestAndAnError(int status)
    {
        var tally = new RequestTally();
        var (context, response) = Request();

        tally.CountRequest(context);
        context.Response.StatusCode = status;
        response.Complete();

        Assert.Equal(1, tally.Requests);
        Assert.Equal(1, tally.Errors);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(304)]
    [InlineData(404)]
    [InlineData(429)]
    [InlineData(499)]
    public void CountRequest_CompletedBelow500_CountsOnlyTheRequest(int status)
    {
        var tally = new RequestTally();
        var (context, response) = Request();

        tally.CountRequest(context);
        context.Response.StatusCode = status;
        response.Complete();

        Assert.Equal(1, tally.Requests);
        Assert.Equal(0, tally.Errors);
    }

    [Fact]
    public void CountRequest_NotYetCompleted_CountsTheRequestAndWaitsForTheStatus()
    {
        var tally = new RequestTally();
        var (context, response) = Request();

        tally.CountRequest(context);
        context.Response.StatusCode = 500;

        Assert.Equal(1, tally.Requests);
        Assert.Equal(0, tally.Errors);
        Assert.Equal(1, response.Pending);
    }

    [Fact]
    public void CountShed_CountsAnError()
    {
        var tally = new RequestTally();

        tally.CountShed();
        tally.CountShed();

        Assert.Equal(0, tally.Requests);
        Assert.Equal(2, tally.Errors);
    }

    [Fact]
    public void CountRequest_SteadyState_AllocatesNothing()
    {
        var tally = new RequestTally();
        var (context, response) = Request();
        tally.CountRequest(context);
        response.Complete();

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            tally.CountRequest(context);
            response.Complete();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1001, tally.Requests);
    }
}
