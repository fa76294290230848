using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts.Tests.RealTimer;

/// <summary>
/// docs/code.md's "Fake pressure in tests" recipe, as a reader would run it: a sampler of one's own
/// registered before AddMemoryContracts, the guard on the real clock (10 ms sampling), real Kestrel on
/// 127.0.0.1 port 0. Bounded: a guard that never reaches Critical fails in 10 s.
/// </summary>
public sealed class FakeSamplerRecipeTests
{
    [Fact]
    public async Task Guard_OwnSamplerAt99PercentOfTheBudget_ReachesCriticalAndShedsNonCore()
    {
        var sampler = new FakeSampler { HeapBytes = 10L << 20 };
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton<IMemorySampler>(sampler);
        builder.Services.AddMemoryContracts(o => o.Contract = new MemoryContract
        {
            SamplingInterval = TimeSpan.FromMilliseconds(10),
            Modules = [new ModuleContract { Name = "app", MaxHeapBytes = 100L << 20 }],
        });
        await using var app = builder.Build();
        app.UseMemoryContracts();
        app.MapGet("/work", () => "done").WithMemoryContract("app");
        await app.StartAsync();

        var pressure = app.Services.GetRequiredService<IMemoryPressure>();
        var critical = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = pressure.OnChange(s =>
        {
            if (s.Level == PressureLevel.Critical)
            {
                critical.TrySetResult();
            }
        });

        sampler.HeapBytes = 99L << 20;
        await critical.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(PressureLevel.Critical, pressure.Current.Level);
        Assert.Equal(99, pressure.Current.UsagePercent);
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        using var response = await client.GetAsync(new Uri("/work", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, response.StatusCode);
        await app.StopAsync();
    }

    private sealed class FakeSampler : IMemorySampler
    {
        private long _heapBytes;

        public long HeapBytes
        {
            get => Volatile.Read(ref _heapBytes);
            set => Volatile.Write(ref _heapBytes, value);
        }

        public MemorySample Sample() => new()
        {
            HeapBytes = HeapBytes,
            CommittedBytes = HeapBytes,
            CapacityBytes = 4L << 30,
        };
    }
}
