using System.Net;
using MemoryContracts.Tests.AspNetCore;
using MemoryContracts.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MemoryContracts.Tests.Guard;

/// <summary>
/// Real hosting, the guard's own loop: a responder that never completes and one that throws, both
/// named at Elevated, hold up nothing — Critical and shedding are reached, and Normal again, on time.
/// </summary>
public sealed class StuckResponderTests
{
    [Fact]
    public async Task Guard_HangingAndThrowingRespondersAtElevated_CriticalShedsAndRecoversOnTime()
    {
        var time = new TimerCountingTimeProvider();
        var sampler = new ScriptedSampler(heapMb: 100);
        var logs = new FakeLoggerProvider();
        var hanging = new HangingResponder();
        var contract = new MemoryContract
        {
            Modules =
            [
                new ModuleContract { Name = "catalog", MaxHeapBytes = 600 * TestContracts.MB, Routes = ["/catalog"] },
                new ModuleContract { Name = "checkout", MaxHeapBytes = 400 * TestContracts.MB, Core = true, Routes = ["/checkout"] },
            ],
            Responses = new ResponsePolicy { Elevated = ["alert", "hang", "boom"], Timeout = TimeSpan.FromSeconds(2) },
        };
        await using var app = await TestApp.StartAsync(contract, a =>
        {
            a.MapGet("/catalog/{id}", (int id) => $"product {id}");
            a.MapPost("/checkout", () => "paid");
            a.MapHealthChecks("/health/live", new() { Predicate = c => c.Tags.Contains("live") });
        }, services =>
        {
            services.AddSingleton<IMemoryPressureResponder>(hanging);
            services.AddSingleton<IMemoryPressureResponder>(new RecordingResponder("boom") { Throw = new InvalidOperationException("boom") });
            services.AddSingleton<ILoggerProvider>(logs);
        }, time, sampler);
        var client = app.GetTestClient();
        var pressure = app.Services.GetRequiredService<IMemoryPressure>();
        var guard = app.Services.GetRequiredService<MemoryGuard>();

        try
        {
            // Elevated: both custom responders are handed the change; one hangs, one throws.
            sampler.SetHeapMb(850);
            await TickAsync(guard, time, 1);
            Assert.Equal(PressureLevel.Elevated, pressure.Current.Level);
            await hanging.Started.WaitAsync(TimeSpan.FromSeconds(30));

            // Critical on the same schedule as without them: consecutive.critical = 3 samples.
            sampler.SetHeapMb(980);
            await TickAsync(guard, time, 3);
            Assert.Equal(PressureLevel.Critical, pressure.Current.Level);
            using (var shed = await client.GetAsync(new Uri("/catalog/1", UriKind.Relative)))
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, shed.StatusCode);
            }

            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(new Uri("/checkout", UriKind.Relative), null)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode);

            // Back to Normal: three steps down, recovery_samples (5) each.
            sampler.SetHeapMb(100);
            await TickAsync(guard, time, 15);
            Assert.Equal(PressureLevel.Normal, pressure.Current.Level);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/catalog/1", UriKind.Relative))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode);

            // The hang was reported as a timeout (its 2 s deadline passed during the ticks), the throw as a failure,
            // and the stuck responder was never started twice.
            Assert.Contains(logs.WithEvent(113), e => e.Message.Contains("'hang'", StringComparison.Ordinal));
            Assert.Contains(logs.WithEvent(103), e => e.Message.Contains("'boom'", StringComparison.Ordinal));
            Assert.Equal(1, hanging.Calls);
        }
        finally
        {
            hanging.Release();
        }
    }

    private static Task TickAsync(MemoryGuard guard, TimerCountingTimeProvider time, int count) =>
        GuardLoopDriver.TickAsync(guard, time, count);

    private sealed class HangingResponder : IMemoryPressureResponder
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;

        public string Name => "hang";

        public Task Started => _started.Task;

        public int Calls => Volatile.Read(ref _calls);

        public void Release() => _release.TrySetResult();

        public async ValueTask OnLevelChangedAsync(MemoryPressureChange change, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            _started.TrySetResult();

            // Ignores its token, as a stuck call or a lock would.
            await _release.Task;
        }
    }
}
