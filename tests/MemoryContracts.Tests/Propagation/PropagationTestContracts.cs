namespace MemoryContracts.Tests.Propagation;

/// <summary>Contracts given in code for the propagation tests.</summary>
internal static class PropagationTestContracts
{
    public static MemoryContract With(PropagationPolicy? propagation = null, MemoryContractMode mode = MemoryContractMode.Enforce) => new()
    {
        Version = "v7.3",
        Mode = mode,
        Modules = [new ModuleContract { Name = "catalog" }],
        Propagation = propagation ?? new PropagationPolicy(),
    };

    /// <summary>A policy that trusts only 10.0.0.0/8, so loopback callers are untrusted.</summary>
    public static PropagationPolicy LoopbackUntrusted { get; } = new() { TrustedNetworks = ["10.0.0.0/8"] };
}
