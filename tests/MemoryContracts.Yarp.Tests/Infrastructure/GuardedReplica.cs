using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MemoryContracts.Yarp.Tests.Infrastructure;

/// <summary>
/// A real replica on Kestrel (<c>127.0.0.1</c>, port 0) guarded by MemoryContracts: one module with a
/// 100 MB budget, sampled every 10 ms from a heap the test sets (<see cref="HeapPercent"/>), with
/// <c>/health/ready</c> and <c>/work</c> (which counts its calls).
/// </summary>
internal sealed class GuardedReplica : IAsyncDisposable
{
    private const long BudgetBytes = 100L << 20;
    private readonly WebApplication _app;
    private readonly SettableSampler _sampler;
    private int _hits;

    private GuardedReplica(WebApplication app, SettableSampler sampler, Uri address)
    {
        _app = app;
        _sampler = sampler;
        Address = address;
    }

    /// <summary>Gets the replica's address (<c>http://127.0.0.1:port/</c>).</summary>
    public Uri Address { get; }

    /// <summary>Gets how many requests reached <c>/work</c>.</summary>
    public int Hits => Volatile.Read(ref _hits);

    /// <summary>Gets the replica's own view of its pressure.</summary>
    public IMemoryPressure Pressure => _app.Services.GetRequiredService<IMemoryPressure>();

    /// <summary>Sets the heap the guard samples, in percent of the budget.</summary>
    public int HeapPercent
    {
        set => Volatile.Write(ref _sampler.HeapBytes, BudgetBytes * value / 100);
    }

    public static async Task<GuardedReplica> StartAsync(int heapPercent)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var sampler = new SettableSampler { HeapBytes = BudgetBytes * heapPercent / 100 };
        builder.Services.AddSingleton<IMemorySampler>(sampler);
        builder.Services.AddMemoryContracts(o => o.Contract = new MemoryContract
        {
            Version = "replica-v1",
            SamplingInterval = TimeSpan.FromMilliseconds(10),
            Modules = [new ModuleContract { Name = "app", MaxHeapBytes = BudgetBytes }],
        });
        builder.Services.AddHealthChecks().AddMemoryContracts();
        var app = builder.Build();
        GuardedReplica? replica = null;
        app.UseMemoryContracts();
        app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready") });
        app.MapGet("/work", () =>
        {
            Interlocked.Increment(ref replica!._hits);
            return "done";
        }).WithMemoryContract("app");

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        replica = new GuardedReplica(app, sampler, new Uri(address + "/"));
        return replica;
    }

    /// <summary>Waits (at most 10 s of real time) until the replica's guard has graded its heap at <paramref name="level"/>.</summary>
    public async Task WaitForLevelAsync(PressureLevel level)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (Pressure.Current.Level != level || Pressure.Current.Timestamp == DateTimeOffset.MinValue)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The replica did not reach {level} within 10 s (it is at {Pressure.Current.Level}).");
            }

            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class SettableSampler : IMemorySampler
    {
        public long HeapBytes;

        public MemorySample Sample()
        {
            var heap = Volatile.Read(ref HeapBytes);
            return new MemorySample { HeapBytes = heap, CommittedBytes = heap, CapacityBytes = 4L << 30 };
        }
    }
}
