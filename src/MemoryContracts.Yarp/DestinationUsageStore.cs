using System.Runtime.CompilerServices;
using Yarp.ReverseProxy.Model;

namespace MemoryContracts;

/// <summary>
/// The <see cref="DestinationUsage"/> of every destination the gateway has proxied to, keyed by YARP's
/// own <see cref="DestinationState"/> (weakly: a destination removed from the configuration takes its
/// entry with it). Look-ups take no lock and allocate nothing once a destination has its entry.
/// </summary>
internal sealed class DestinationUsageStore
{
    private readonly ConditionalWeakTable<DestinationState, DestinationUsage> _entries = new();

    /// <summary>Gets the entry of <paramref name="destination"/>, creating it on first use.</summary>
    public DestinationUsage GetOrCreate(DestinationState destination) =>
        _entries.GetValue(destination, static _ => new DestinationUsage());

    /// <summary>Gets the entry of <paramref name="destination"/> if it has one.</summary>
    public DestinationUsage? Find(DestinationState destination) =>
        _entries.TryGetValue(destination, out var usage) ? usage : null;
}
