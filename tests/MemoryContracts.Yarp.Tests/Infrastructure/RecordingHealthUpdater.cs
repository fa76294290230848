using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace MemoryContracts.Yarp.Tests.Infrastructure;

/// <summary>Records every health change a policy asks YARP for, passive and active.</summary>
internal sealed class RecordingHealthUpdater : IDestinationHealthUpdater
{
    /// <summary>Gets the passive changes, in order.</summary>
    public List<(DestinationHealth Health, TimeSpan Period)> Calls { get; } = [];

    /// <summary>Gets the active changes, one list per probing round, in order.</summary>
    public List<IReadOnlyList<NewActiveDestinationHealth>> ActiveRounds { get; } = [];

    public void SetActive(ClusterState cluster, IEnumerable<NewActiveDestinationHealth> newHealthStates) =>
        ActiveRounds.Add([.. newHealthStates]);

    public void SetPassive(ClusterState cluster, DestinationState destination, DestinationHealth newHealth, TimeSpan reactivationPeriod) =>
        Calls.Add((newHealth, reactivationPeriod));
}
