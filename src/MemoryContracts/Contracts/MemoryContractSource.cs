using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MemoryContracts;

/// <summary>
/// The contract in force for this process: from <see cref="MemoryContractsOptions.Contract"/> or the
/// file at <see cref="MemoryContractsOptions.ContractPath"/>, narrowed to
/// <see cref="MemoryContractsOptions.Modules"/>. <see cref="Changed"/> fires after a good reload.
/// </summary>
internal sealed class MemoryContractSource
{
    private MemoryContract _current;

    public MemoryContractSource(IOptions<MemoryContractsOptions> options, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        var value = options.Value;
        var environment = services.GetService(typeof(IHostEnvironment)) as IHostEnvironment;
        var contract = value.Contract ?? MemoryContract.Load(ResolvePath(value.ContractPath, environment?.ContentRootPath));
        _current = Narrow(contract, value.Modules);
    }

    /// <summary>Gets the contract in force, narrowed to the modules this process hosts.</summary>
    public MemoryContract Current => Volatile.Read(ref _current);

    /// <summary>Raised with the new contract after a good reload.</summary>
    public event Action<MemoryContract>? Changed;

    internal void Replace(MemoryContract contract)
    {
        Volatile.Write(ref _current, contract);
        Changed?.Invoke(contract);
    }

    internal static string ResolvePath(string path, string? contentRoot) =>
        Path.IsPathRooted(path) || contentRoot is null ? Path.GetFullPath(path) : Path.GetFullPath(Path.Combine(contentRoot, path));

    internal static MemoryContract Narrow(MemoryContract contract, IEnumerable<string> modules)
    {
        var wanted = modules.ToList();
        if (wanted.Count == 0)
        {
            return contract;
        }

        var kept = new List<ModuleContract>(wanted.Count);
        foreach (var name in wanted)
        {
            var module = contract.Modules.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.Ordinal))
                ?? throw new MemoryContractException($"MemoryContracts:Modules names module '{name}', which the contract does not define. Defined: {string.Join(", ", contract.Modules.Select(m => m.Name))}.", "MemoryContracts:Modules", null, null);
            kept.Add(module);
        }

        return new MemoryContract
        {
            Version = contract.Version,
            Mode = contract.Mode,
            StrictEndpoints = contract.StrictEndpoints,
            SamplingInterval = contract.SamplingInterval,
            Modules = kept,
            Escalation = contract.Escalation,
            Responses = contract.Responses,
            Propagation = contract.Propagation,
        };
    }
}
