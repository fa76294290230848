using MemoryContracts.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MemoryContracts.Tests.Propagation;

public class PropagationPolicyProviderTests
{
    [Fact]
    public void Current_ContractListsCloudMetadataHosts_WarnsForEachAtStartAndReload()
    {
        var logs = new FakeLoggerProvider();
        using var services = PropagationTestServices.Build(
            PropagationTestContracts.With(new PropagationPolicy { OutboundHosts = ["metadata.google.internal", "*.internal", "169.254.169.254"] }),
            configure: s => s.AddSingleton<ILoggerProvider>(logs));
        var provider = services.GetRequiredService<PropagationPolicyProvider>();

        Assert.False(provider.Current.OutboundHosts.IsAllowed("metadata.google.internal"));
        Assert.Equal(
            ["propagation.outbound_hosts entry 'metadata.google.internal' names a cloud metadata service: X-Memory-* headers are never sent to it, whatever the patterns say.",
             "propagation.outbound_hosts entry '169.254.169.254' names a cloud metadata service: X-Memory-* headers are never sent to it, whatever the patterns say."],
            logs.WithEvent(408).Select(e => e.Message));
        Assert.All(logs.WithEvent(408), e => Assert.Equal(LogLevel.Warning, e.Level));

        _ = services.GetRequiredService<MemoryGuard>();
        services.GetRequiredService<MemoryContractSource>().Replace(PropagationTestContracts.With(new PropagationPolicy { OutboundHosts = ["metadata"] }));

        Assert.Equal(3, logs.WithEvent(408).Count);
        Assert.False(services.GetRequiredService<PropagationPolicyProvider>().Current.OutboundHosts.IsAllowed("metadata"));
    }
}
