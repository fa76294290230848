using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace MemoryContracts;

/// <summary>
/// Adds <see cref="MemoryContractHeadersHandler"/> to every <c>IHttpClientFactory</c> client when
/// <see cref="MemoryContractsOptions.PropagateToAllHttpClients"/> is set (read when a client's
/// handler is built, so configuration binding applies), innermost, and not to a client that already
/// has it through <c>AddMemoryContractHeaders()</c>.
/// </summary>
internal sealed class MemoryContractHeadersHandlerFilter : IHttpMessageHandlerBuilderFilter
{
    private readonly IOptions<MemoryContractsOptions> _options;

    public MemoryContractHeadersHandlerFilter(IOptions<MemoryContractsOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return builder =>
        {
            next(builder);
            if (_options.Value.PropagateToAllHttpClients && !HasHandler(builder.AdditionalHandlers))
            {
                builder.AdditionalHandlers.Add(MemoryContractHeadersHandler.Create(builder.Services));
            }
        };
    }

    internal static bool HasHandler(IEnumerable<DelegatingHandler> handlers)
    {
        foreach (var handler in handlers)
        {
            if (handler is MemoryContractHeadersHandler)
            {
                return true;
            }
        }

        return false;
    }
}
