using MemoryContracts.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts.Tests.Propagation;

/// <summary>A service provider with MemoryContracts (contract in code) and manual pressure, without a host.</summary>
internal static class PropagationTestServices
{
    public static ServiceProvider Build(MemoryContract? contract = null, FakeTimeProvider? time = null, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMemoryContracts(o => o.Contract = contract ?? PropagationTestContracts.With());
        services.AddManualPressure(time);
        configure?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }
}
