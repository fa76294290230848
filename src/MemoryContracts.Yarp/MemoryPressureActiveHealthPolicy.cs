using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace MemoryContracts;

/// <summary>
/// The <c>MemoryPressure</c> active health policy: YARP's consecutive-failures rule (a destination is
/// unhealthy once <c>ConsecutiveFailuresHealthPolicy.Threshold</c> probes in a row, 2 by default, got no
/// 2xx answer; one 2xx makes it healthy again), and every probe answer is also read for the usage the
/// destination reports. The probe is the gateway's own request, so a destination running MemoryContracts
/// answers it with its pressure headers even when the proxied traffic is relayed for public clients,
/// who get none (and whose responses therefore teach the gateway nothing).
/// </summary>
internal sealed class MemoryPressureActiveHealthPolicy : IActiveHealthCheckPolicy
{
    /// <summary>The cluster metadata key of the threshold: YARP's own, so switching policies keeps it.</summary>
    public const string ThresholdMetadataKey = "ConsecutiveFailuresHealthPolicy.Threshold";

    /// <summary>The threshold when the cluster's metadata does not set one (YARP's default).</summary>
    public const int DefaultThreshold = 2;

    private readonly DestinationReportLearner _learner;
    private readonly IDestinationHealthUpdater _healthUpdater;
    private readonly ILogger _logger;
    private readonly ConditionalWeakTable<DestinationState, StrongBox<int>> _failures = new();
    private readonly ConditionalWeakTable<ClusterState, string> _refusedThresholds = new();

    public MemoryPressureActiveHealthPolicy(DestinationReportLearner learner, IDestinationHealthUpdater healthUpdater, ILogger<MemoryPressureActiveHealthPolicy> logger)
    {
        _learner = learner;
        _healthUpdater = healthUpdater;
        _logger = logger;
    }

    public string Name => MemoryPressurePolicyNames.MemoryPressure;

    public void ProbingCompleted(ClusterState cluster, IReadOnlyList<DestinationProbingResult> probingResults)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(probingResults);
        if (probingResults.Count == 0)
        {
            return;
        }

        var threshold = Threshold(cluster);
        var health = new NewActiveDestinationHealth[probingResults.Count];
        for (var i = 0; i < probingResults.Count; i++)
        {
            var result = probingResults[i];
            if (result.Response is { } response)
            {
                _learner.Learn(result.Destination, response);
            }

            var failures = _failures.GetValue(result.Destination, static _ => new StrongBox<int>());
            DestinationHealth newHealth;
            if (result.Response is { IsSuccessStatusCode: true })
            {
                Volatile.Write(ref failures.Value, 0);
                newHealth = DestinationHealth.Healthy;
            }
            else
            {
                newHealth = Interlocked.Increment(ref failures.Value) < threshold ? DestinationHealth.Healthy : DestinationHealth.Unhealthy;
            }

            health[i] = new NewActiveDestinationHealth(result.Destination, newHealth);
        }

        _healthUpdater.SetActive(cluster, health);
    }

    /// <summary>
    /// Reads the cluster's threshold; a value that is not a whole number of at least 1 is refused (logged
    /// once per value, event 902) and the default used.
    /// </summary>
    private int Threshold(ClusterState cluster)
    {
        var metadata = cluster.Model?.Config.Metadata;
        if (metadata is null || !metadata.TryGetValue(ThresholdMetadataKey, out var text))
        {
            return DefaultThreshold;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var threshold) && threshold >= 1)
        {
            return threshold;
        }

        if (!_refusedThresholds.TryGetValue(cluster, out var refused) || !string.Equals(refused, text, StringComparison.Ordinal))
        {
            _refusedThresholds.AddOrUpdate(cluster, text);
            YarpLog.ThresholdRefused(_logger, cluster.ClusterId, ThresholdMetadataKey, text, DefaultThreshold);
        }

        return DefaultThreshold;
    }
}
