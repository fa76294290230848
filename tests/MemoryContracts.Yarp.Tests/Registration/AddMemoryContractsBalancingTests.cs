using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Transforms.Builder;

namespace MemoryContracts.Yarp.Tests.Registration;

public sealed class AddMemoryContractsBalancingTests
{
    [Fact]
    public void AddMemoryContractsBalancing_CalledTwice_RegistersEachPolicyOnce()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddReverseProxy().AddMemoryContractsBalancing().AddMemoryContractsBalancing();
        using var provider = services.BuildServiceProvider();

        Assert.Single(provider.GetServices<ILoadBalancingPolicy>(), p => p.Name == MemoryPressurePolicyNames.MemoryPressure);
        Assert.Single(provider.GetServices<IPassiveHealthCheckPolicy>(), p => p.Name == MemoryPressurePolicyNames.MemoryPressure);
        Assert.Single(provider.GetServices<ITransformProvider>().OfType<MemoryHeadersTransformProvider>());
        Assert.Single(provider.GetServices<IValidateOptions<MemoryPressureBalancingOptions>>());
    }

    [Fact]
    public void AddMemoryContractsBalancing_Configure_AppliesToOptions()
    {
        var services = new ServiceCollection();
        services.AddReverseProxy().AddMemoryContractsBalancing(o => o.MaxUsagePercent = 80);
        using var provider = services.BuildServiceProvider();

        Assert.Equal(80, provider.GetRequiredService<IOptions<MemoryPressureBalancingOptions>>().Value.MaxUsagePercent);
    }

    [Fact]
    public async Task AddMemoryContractsBalancing_InvalidOptions_HostFailsToStartNamingTheOption()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddReverseProxy().AddMemoryContractsBalancing(o => o.ReportHalfLife = TimeSpan.Zero);
        await using var app = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.Contains("ReportHalfLife", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddMemoryContractsBalancing_NullBuilder_Throws() =>
        Assert.Throws<ArgumentNullException>(() => MemoryContractsReverseProxyBuilderExtensions.AddMemoryContractsBalancing(null!));
}
