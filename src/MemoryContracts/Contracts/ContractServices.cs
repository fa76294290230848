using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MemoryContracts;

/// <summary>Registers the contract options and source (called by <c>AddMemoryContracts</c>).</summary>
internal static class ContractServices
{
    public static void Add(IServiceCollection services)
    {
        services.AddOptions<MemoryContractsOptions>();
        services.TryAddSingleton<MemoryContractSource>();
    }
}
