using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MemoryContracts;

/// <summary>Registers the contract options and source (called by <c>AddMemoryContracts</c>).</summary>
internal static class ContractServices
{
    public static void Add(IServiceCollection services)
    {
        services.AddOptions<MemoryContractsOptions>().ValidateOnStart();

        // Configuration first, whatever was registered before: code (AddMemoryContracts(o => ...),
        // services.Configure<MemoryContractsOptions>) always wins over the MemoryContracts section.
        var binder = ServiceDescriptor.Singleton<IConfigureOptions<MemoryContractsOptions>, MemoryContractsConfigurationBinder>();
        if (!services.Any(d => d.ServiceType == binder.ServiceType && d.ImplementationType == binder.ImplementationType))
        {
            var first = -1;
            for (var i = 0; i < services.Count && first < 0; i++)
            {
                first = services[i].ServiceType == typeof(IConfigureOptions<MemoryContractsOptions>) ? i : -1;
            }

            services.Insert(first < 0 ? services.Count : first, binder);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MemoryContractsOptions>, MemoryContractsOptionsValidator>());
        services.TryAddSingleton<MemoryContractSource>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ContractStartupCheck>());
    }
}
