namespace MemoryContracts.Tests.LoadReporting;

public sealed class StripedCounterTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(6, 8)]
    public void Constructor_StripeCount_RoundsUpToAPowerOfTwo(int stripes, int expected) =>
        Assert.Equal(expected, new StripedCounter(stripes).Stripes);

    [Fact]
    public void Increment_OneThread_CountsEveryCall()
    {
        var counter = new StripedCounter(4);

        for (var i = 0; i < 1234; i++)
        {
            counter.Increment();
        }

        Assert.Equal(1234, counter.Total);
    }

    [Fact]
    public async Task Increment_ManyThreadsAtOnce_TotalIsExact()
    {
        const int Threads = 8;
        const int PerThread = 200_000;
        var counter = new StripedCounter();
        using var start = new Barrier(Threads);

        var workers = Enumerable.Range(0, Threads).Select(_ => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait();
                for (var i = 0; i < PerThread; i++)
                {
                    counter.Increment();
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToArray();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal((long)Threads * PerThread, counter.Total);
    }

    [Fact]
    public async Task Total_ReadWhileOthersIncrement_NeverGoesBackwards()
    {
        var counter = new StripedCounter();
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                counter.Increment();
            }
        })).ToArray();

        long previous = 0;
        for (var i = 0; i < 10_000; i++)
        {
            var total = counter.Total;
            Assert.True(total >= previous, $"{total} after {previous}");
            previous = total;
        }

        await stop.CancelAsync();
        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(counter.Total >= previous);
    }

    [Fact]
    public void Increment_SteadyState_AllocatesNothing()
    {
        var counter = new StripedCounter();
        counter.Increment();

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            counter.Increment();
        }

        _ = counter.Total;
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
