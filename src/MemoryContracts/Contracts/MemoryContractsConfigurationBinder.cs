using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MemoryContracts;

/// <summary>
/// Binds the <c>MemoryContracts</c> configuration section (<c>ContractPath</c>, <c>Modules</c> as a list
/// or a comma-separated string, <c>PropagateToAllHttpClients</c>) when an <see cref="IConfiguration"/>
/// is registered; does nothing otherwise. Registered ahead of every other configuration of the options,
/// so code wins over configuration.
/// </summary>
internal sealed class MemoryContractsConfigurationBinder(IServiceProvider services) : IConfigureOptions<MemoryContractsOptions>
{
    public const string SectionName = "MemoryContracts";

    public void Configure(MemoryContractsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (services.GetService<IConfiguration>() is not { } configuration)
        {
            return;
        }

        var section = configuration.GetSection(SectionName);
        if (section[nameof(MemoryContractsOptions.ContractPath)] is { } path)
        {
            options.ContractPath = path;
        }

        if (section[nameof(MemoryContractsOptions.PropagateToAllHttpClients)] is { } propagate)
        {
            options.PropagateToAllHttpClients = bool.TryParse(propagate, out var value)
                ? value
                : throw new OptionsValidationException(Options.DefaultName, typeof(MemoryContractsOptions),
                    [$"{SectionName}:{nameof(MemoryContractsOptions.PropagateToAllHttpClients)} must be true or false, got '{propagate}'."]);
        }

        var modules = section.GetSection(nameof(MemoryContractsOptions.Modules));
        if (modules.Value is { } list)
        {
            foreach (var module in list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                options.Modules.Add(module);
            }
        }

        foreach (var child in modules.GetChildren())
        {
            if (child.Value is { } module)
            {
                options.Modules.Add(module);
            }
        }
    }
}
