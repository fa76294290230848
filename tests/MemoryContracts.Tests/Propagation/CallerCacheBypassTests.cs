namespace MemoryContracts.Tests.Propagation;

public class CallerCacheBypassTests
{
    [Fact]
    public async Task Activate_InFlow_IsSeenDownstreamAndNotByCaller()
    {
        Assert.False(CallerCacheBypass.IsActive);
        bool seenInside = false, seenAfterAwait = false;
        await Task.Run(async () =>
        {
            CallerCacheBypass.Activate();
            seenInside = CallerCacheBypass.IsActive;
            await Task.Yield();
            seenAfterAwait = await Task.Run(() => CallerCacheBypass.IsActive);
        });

        Assert.True(seenInside);
        Assert.True(seenAfterAwait);
        Assert.False(CallerCacheBypass.IsActive);
    }

    [Fact]
    public async Task Clear_AfterActivate_IsInactive()
    {
        await Task.Run(() =>
        {
            CallerCacheBypass.Activate();
            CallerCacheBypass.Clear();
            Assert.False(CallerCacheBypass.IsActive);
        });
    }

    [Fact]
    public async Task Activate_InOneRequestFlow_DoesNotLeakToAConcurrentOne()
    {
        using var activated = new SemaphoreSlim(0);
        using var checkedOther = new SemaphoreSlim(0);
        var first = Task.Run(async () =>
        {
            CallerCacheBypass.Activate();
            activated.Release();
            await checkedOther.WaitAsync();
            return CallerCacheBypass.IsActive;
        });
        var second = Task.Run(async () =>
        {
            await activated.WaitAsync();
            var active = CallerCacheBypass.IsActive;
            checkedOther.Release();
            return active;
        });

        Assert.True(await first);
        Assert.False(await second);
    }
}
