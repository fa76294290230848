using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts;

/// <summary>
/// Adds MemoryContracts' outbound headers and downstream backoff to one <c>IHttpClientFactory</c> client.
/// </summary>
public static class MemoryContractsHttpClientBuilderExtensions
{
    /// <summary>
    /// Adds the MemoryContracts handler to this client: requests to hosts matching
    /// <c>propagation.outbound_hosts</c> (plus single-label names and loopback or private IP literals)
    /// carry <c>X-Memory-Usage</c>, <c>X-Memory-Capacity</c> and <c>X-Memory-Contract</c>, and when
    /// most recent answers of a downstream authority are memory rejections, calls to it made outside a
    /// core request are refused locally in proportion (they fail with
    /// <see cref="MemoryPressureRejectedException"/>). Needed only when
    /// <see cref="MemoryContractsOptions.PropagateToAllHttpClients"/> is <see langword="false"/>;
    /// the handler is never added twice to a client. Requires <c>AddMemoryContracts()</c>.
    /// </summary>
    /// <param name="builder">The client's builder.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHttpClientBuilder AddMemoryContractHeaders(this IHttpClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ConfigureAdditionalHttpMessageHandlers(static (handlers, services) =>
        {
            if (!MemoryContractHeadersHandlerFilter.HasHandler(handlers))
            {
                handlers.Add(MemoryContractHeadersHandler.Create(services));
            }
        });
        return builder;
    }
}
