using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Yarp.ReverseProxy.Model;

namespace MemoryContracts.Yarp.Tests.Infrastructure;

/// <summary>A store, a fake clock and a seeded load-balancing policy over hand-made destinations.</summary>
internal sealed class PolicyFixture
{
    public PolicyFixture(MemoryPressureBalancingOptions? options = null, int seed = 42)
    {
        Options = options ?? new MemoryPressureBalancingOptions();
        Policy = new MemoryPressureLoadBalancingPolicy(Store, new StaticOptionsMonitor(Options), Time, new Random(seed));
    }

    public FakeTimeProvider Time { get; } = new();

    public DestinationUsageStore Store { get; } = new();

    public MemoryPressureBalancingOptions Options { get; }

    public MemoryPressureLoadBalancingPolicy Policy { get; }

    public long Now => Time.GetTimestamp();

    public static DestinationState[] Destinations(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new DestinationState($"d{i}"))];

    public void Report(DestinationState destination, double percent) =>
        Store.GetOrCreate(destination).Report(percent, Time.GetTimestamp());

    public void Reject(DestinationState destination, TimeSpan window) =>
        Store.GetOrCreate(destination).Reject(window, Time.GetTimestamp(), Time);

    /// <summary>Picks <paramref name="picks"/> times and counts how often each destination won.</summary>
    public Dictionary<string, int> Tally(IReadOnlyList<DestinationState> destinations, int picks)
    {
        var tally = destinations.ToDictionary(d => d.DestinationId, _ => 0);
        var cluster = new ClusterState("c");
        for (var i = 0; i < picks; i++)
        {
            tally[Policy.PickDestination(new Microsoft.AspNetCore.Http.DefaultHttpContext(), cluster, destinations)!.DestinationId]++;
        }

        return tally;
    }

    private sealed class StaticOptionsMonitor(MemoryPressureBalancingOptions value) : IOptionsMonitor<MemoryPressureBalancingOptions>
    {
        public MemoryPressureBalancingOptions CurrentValue => value;

        public MemoryPressureBalancingOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<MemoryPressureBalancingOptions, string?> listener) => null;
    }
}
