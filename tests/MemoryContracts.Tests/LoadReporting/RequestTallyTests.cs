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
    public void CountOutcome_Completed5xx_CountsTheErrorAtOnce(int status)
    {
        var tally = new RequestTally();
        var (context, response) = Request();

        tally.CountRequest();
        context.Response.StatusCode = status;
        var returned = tally.CountOutcome(context, Task.CompletedTask);

        Assert.Same(Task.CompletedTask, returned);
        Assert.Equal(0, response.Pending);
        Assert.Equal((1, 1), tally.Totals);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(304)]
    [InlineData(404)]
    [InlineData(429)]
    [InlineData(499)]
    public void CountOutcome_CompletedBelow500_CountsOnlyTheRequest(int status)
    {
        var tally = new RequestTally();
        var (context, response) = Request();

        tally.CountRequest();
        context.Response.StatusCode = status;
        tally.CountOutcome(context, Task.CompletedTask);
        response.Complete();

        Assert.Equal(0, response.Pending);
        Assert.Equal((1, 0), tally.Totals);
    }

    [Theory]
    [InlineData(503, 1)]
    [InlineData(200, 0)]
    public void CountOutcome_StillRunning_ReadsTheStatusWhenTheResponseCompletes(int finalStatus, long expectedErrors)
    {
        var tally = new RequestTally();
        var (context, response) = Request();
        var running = new TaskCompletionSource();

        tally.CountRequest();
        var returned = tally.CountOutcome(context, running.Task);
        context.Response.StatusCode = finalStatus;

        Assert.Same(running.Task, returned);
        Assert.Equal(1, response.Pending);
        Assert.Equal(0, tally.Errors);

        running.SetResult();
        response.Complete();

        Assert.Equal((1, expectedErrors), tally.Totals);
    }

    [Fact]
    public void CountOutcome_Faulted_ReadsTheStatusTheServerWrites()
    {
        var tally = new RequestTally();
        var (context, response) = Request();

        tally.CountRequest();
        tally.CountOutcome(context, Task.FromException(new InvalidOperationException("boom")));
        Assert.Equal(0, tally.Errors);

        // What the server does for an unhandled exception before the response started.
        context.Response.StatusCode = 500;
        response.Complete();

        Assert.Equal((1, 1), tally.Totals);
    }

    [Fact]
    public void CountShed_CountsAnError()
    {
        var tally = new RequestTally();

        tally.CountShed();
        tally.CountShed();

        Assert.Equal((0, 2), tally.Totals);
    }

    [Fact]
    public void CountRequest_TwoTalliesOnOneThread_EachCountsItsOwn()
    {
        var first = new RequestTally();
        var second = new RequestTally();

        for (var i = 0; i < 10; i++)
        {
            first.CountRequest();
            second.CountRequest();
            second.CountShed();
        }

        first.CountRequest();

        Assert.Equal((11, 0), first.Totals);
        Assert.Equal((10, 10), second.Totals);
        Assert.Equal(1, first.Slots.Count);
        Assert.Equal(1, second.Slots.Count);
    }

    [Fact]
    public async Task CountRequest_ManyThreadsAtOnce_TotalsAreExact()
    {
        const int Threads = 8;
        const int PerThread = 200_000;
        var tally = new RequestTally();
        using var start = new Barrier(Threads);

        var workers = Enumerable.Range(0, Threads).Select(_ => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait();
                for (var i = 0; i < PerThread; i++)
                {
                    tally.CountRequest();
                    if (i % 4 == 0)
                    {
                        tally.CountShed();
                    }
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToArray();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(((long)Threads * PerThread, (long)Threads * PerThread / 4), tally.Totals);
    }

    [Fact]
    public void Totals_ThreadsThatEnded_KeepTheirCountsAndGiveUpTheirSlots()
    {
        var tally = new RequestTally();
        tally.CountRequest();

        for (var round = 0; round < 20; round++)
        {
            var thread = new Thread(() =>
            {
                for (var i = 0; i < 100; i++)
                {
                    tally.CountRequest();
                }

                tally.CountShed();
            });
            thread.Start();
            Assert.True(thread.Join(TimeSpan.FromSeconds(30)));
        }

        Assert.Equal((1 + (20 * 100), 20), tally.Totals);

        // Only this thread's slot is left once the ended threads' are folded in.
        Assert.Equal(1, tally.Slots.Count);
        Assert.Equal((1 + (20 * 100), 20), tally.Totals);
    }

    [Fact]
    public async Task Totals_ReadWhileOthersCount_NeverGoBackwards()
    {
        var tally = new RequestTally();
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                tally.CountRequest();
                tally.CountShed();
            }
        })).ToArray();

        (long Requests, long Errors) previous = (0, 0);
        for (var i = 0; i < 10_000; i++)
        {
            var totals = tally.Totals;
            Assert.True(totals.Requests >= previous.Requests && totals.Errors >= previous.Errors, $"{totals} after {previous}");
            previous = totals;
        }

        await stop.CancelAsync();
        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(tally.Requests >= previous.Requests);
    }

    [Fact]
    public void CountRequest_SteadyState_AllocatesNothing()
    {
        var tally = new RequestTally();
        var (context, response) = Request();
        var running = new TaskCompletionSource().Task;
        tally.CountRequest();
        tally.CountOutcome(context, running);
        response.Complete();

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            tally.CountRequest();
            tally.CountOutcome(context, Task.CompletedTask);
            tally.CountOutcome(context, running);
            response.Complete();
        }

        _ = tally.Totals;
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1001, tally.Requests);
    }
}
