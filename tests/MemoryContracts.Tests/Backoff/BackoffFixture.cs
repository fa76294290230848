using System.Net;
using MemoryContracts.Tests.Infrastructure;
using MemoryContracts.Tests.Propagation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using FakeTimeProvider = Microsoft.Extensions.Time.Testing.FakeTimeProvider;

namespace MemoryContracts.Tests.Backoff;

/// <summary>
/// The outbound handler over <see cref="ScriptedReplicas"/> (all behind <c>http://inventory:8080</c>),
/// with a hand-driven clock (Microsoft's <see cref="FakeTimeProvider"/>), a seeded random source for
/// downstream backoff, and Microsoft's fake log collector.
/// </summary>
internal sealed class BackoffFixture : IDisposable
{
    public const string Authority = "inventory:8080";

    public static readonly Uri Inventory = new("http://inventory:8080/stock/42");

    public BackoffFixture(int replicas = 3, PropagationPolicy? propagation = null, MemoryContractMode mode = MemoryContractMode.Enforce, Func<double>? random = null)
    {
        Replicas = new ScriptedReplicas(replicas);
        Services = PropagationTestServices.Build(PropagationTestContracts.With(propagation, mode), configure: services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Time);
            services.AddSingleton(new ThrottleRandom(random ?? new Random(20260113).NextDouble));
            services.AddLogging(b => b.AddFakeLogging().SetMinimumLevel(LogLevel.Debug));
        });
        var handler = MemoryContractHeadersHandler.Create(Services);
        handler.InnerHandler = Replicas;
        Invoker = new HttpMessageInvoker(handler);
        Services.Publish(PressureLevel.Normal, usagePercent: 30, contractVersion: "v7.3");
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public ServiceProvider Services { get; }

    public ScriptedReplicas Replicas { get; }

    public HttpMessageInvoker Invoker { get; }

    public FakeLogCollector Logs => Services.GetFakeLogCollector();

    public DownstreamThrottle Throttle => Services.GetRequiredService<DownstreamThrottle>();

    /// <summary>Gets the throttling of <see cref="Authority"/> (it must have been called).</summary>
    public DownstreamThrottleController Controller => Throttle.TryGet(Authority, out var downstream) ? downstream.Controller : throw new InvalidOperationException("not called yet");

    /// <summary>Gets the probability a call outside a core request is refused now (0 before the first call).</summary>
    public double RefusalProbability => Throttle.TryGet(Authority, out var downstream) ? downstream.Controller.RefusalProbability : 0;

    /// <summary>Sends one call to the inventory and says how it went.</summary>
    public async Task<CallResult> CallAsync(Uri? uri = null)
    {
        try
        {
            using var response = await Invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, uri ?? Inventory), CancellationToken.None);
            return response.StatusCode == HttpStatusCode.OK ? CallResult.Served : CallResult.ShedByDownstream;
        }
        catch (MemoryPressureRejectedException)
        {
            return CallResult.RefusedLocally;
        }
    }

    /// <summary>Makes <paramref name="count"/> calls, <paramref name="every"/> apart on the clock (the clock moves first).</summary>
    public async Task<Tally> CallsAsync(int count, TimeSpan every, Action<double>? beforeEach = null)
    {
        var tally = new Tally();
        for (var i = 0; i < count; i++)
        {
            Time.Advance(every);
            beforeEach?.Invoke(RefusalProbability);
            tally.Add(await CallAsync());
        }

        return tally;
    }

    public IReadOnlyList<FakeLogRecord> Events(int id) => [.. Logs.GetSnapshot().Where(r => r.Id.Id == id)];

    public void Dispose()
    {
        Invoker.Dispose();
        Services.Dispose();
    }
}
