using Microsoft.Extensions.Logging;

namespace MemoryContracts;

/// <summary>
/// Holds the <see cref="CompiledPropagationPolicy"/> of the contract in force, rebuilt on
/// <see cref="MemoryContractSource.Changed"/>. A reload with an invalid policy keeps the last good one.
/// An <c>outbound_hosts</c> entry naming a cloud metadata service is logged (it is never honoured).
/// </summary>
internal sealed class PropagationPolicyProvider : IDisposable
{
    private readonly MemoryContractSource _contracts;
    private readonly ILogger _logger;
    private CompiledPropagationPolicy _current;

    /// <exception cref="MemoryContractException">The contract's propagation policy is invalid (fails start-up).</exception>
    public PropagationPolicyProvider(MemoryContractSource contracts, ILogger<PropagationPolicyProvider> logger)
    {
        ArgumentNullException.ThrowIfNull(contracts);
        ArgumentNullException.ThrowIfNull(logger);
        _contracts = contracts;
        _logger = logger;
        _current = CompiledPropagationPolicy.Compile(contracts.Current);
        WarnAboutIgnoredEntries(_current);
        contracts.Changed += OnContractChanged;
    }

    /// <summary>Gets the policy in force (a volatile read).</summary>
    public CompiledPropagationPolicy Current => Volatile.Read(ref _current);

    public void Dispose() => _contracts.Changed -= OnContractChanged;

    private void OnContractChanged(MemoryContract contract)
    {
        try
        {
            var compiled = CompiledPropagationPolicy.Compile(contract);
            Volatile.Write(ref _current, compiled);
            WarnAboutIgnoredEntries(compiled);
        }
        catch (MemoryContractException ex)
        {
            PropagationLog.PolicyRejected(_logger, ex.Message, ex);
        }
    }

    private void WarnAboutIgnoredEntries(CompiledPropagationPolicy policy)
    {
        foreach (var entry in policy.OutboundHosts.MetadataEntries)
        {
            PropagationLog.CloudMetadataHostIgnored(_logger, entry);
        }
    }
}
