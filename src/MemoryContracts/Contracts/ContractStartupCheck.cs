using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MemoryContracts;

/// <summary>
/// Resolves the <see cref="MemoryContractSource"/> when the host starts, so a bad or missing contract
/// file (or a responder the contract names but nobody registered) fails start-up with its message,
/// whatever else resolves the source later.
/// </summary>
internal sealed class ContractStartupCheck(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        services.GetRequiredService<MemoryContractSource>().EnsureRespondersKnown();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
