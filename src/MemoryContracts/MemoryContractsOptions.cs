namespace MemoryContracts;

/// <summary>
/// Options of MemoryContracts, bound from the <c>MemoryContracts</c> configuration section and from
/// the delegate given to <c>AddMemoryContracts</c>.
/// </summary>
public sealed class MemoryContractsOptions
{
    /// <summary>
    /// Gets or sets the contract file, relative to the content root unless rooted. The file is watched
    /// and reloaded on change. Ignored when <see cref="Contract"/> is set. The default value is
    /// <c>memory_contract.yaml</c>.
    /// </summary>
    public string ContractPath { get; set; } = "memory_contract.yaml";

    /// <summary>
    /// Gets the modules this process hosts and enforces; empty means every module in the contract.
    /// Each name must be a module of the contract. The default value is empty.
    /// </summary>
    public IList<string> Modules { get; } = new List<string>();

    /// <summary>
    /// Gets or sets a contract given in code instead of a file. The default value is <see langword="null"/>
    /// (the contract is read from <see cref="ContractPath"/>).
    /// </summary>
    public MemoryContract? Contract { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether every <c>IHttpClientFactory</c> client sends
    /// <c>X-Memory-*</c> headers and backs off pressured downstreams. When <see langword="false"/>, use
    /// <c>AddMemoryContractHeaders()</c> per client. The default value is <see langword="true"/>.
    /// </summary>
    public bool PropagateToAllHttpClients { get; set; } = true;
}
