using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MemoryContracts;

/// <summary>
/// Adds <see cref="MemoryContractHeadersHandler"/> to every <c>IHttpClientFactory</c> client when
/// <see cref="MemoryContractsOptions.PropagateToAllHttpClients"/> is set (read when a client's
/// handler is built, so configuration binding applies), innermost, and not to a client that already
/// has it through <c>AddMemoryContractHeaders()</c>. For every client that has the handler, either
/// way, it then moves the following of redirects from the primary handler into ours
/// (<see cref="PrimaryHandlerRedirects"/>), once the client's own configuration has run.
/// </summary>
internal sealed class MemoryContractHeadersHandlerFilter : IHttpMessageHandlerBuilderFilter
{
    private readonly IOptions<MemoryContractsOptions> _options;
    private readonly ILogger _logger;
    private readonly HashSet<string> _warnedClients = new(StringComparer.Ordinal);

    public MemoryContractHeadersHandlerFilter(IOptions<MemoryContractsOptions> options, ILogger<MemoryContractHeadersHandlerFilter> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options;
        _logger = logger;
    }

    public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return builder =>
        {
            next(builder);
            var handler = Find(builder.AdditionalHandlers);
            if (handler is null && _options.Value.PropagateToAllHttpClients)
            {
                handler = MemoryContractHeadersHandler.Create(builder.Services);
                builder.AdditionalHandlers.Add(handler);
            }

            if (handler is not null)
            {
                var takeover = PrimaryHandlerRedirects.TakeOver(builder.PrimaryHandler);
                handler.Apply(takeover);
                if (takeover.HeadersWithheldBecause is { } reason && FirstWarning(builder.Name ?? string.Empty))
                {
                    PropagationLog.OutboundHeadersWithheld(_logger, builder.Name ?? string.Empty, reason);
                }
            }
        };
    }

    internal static bool HasHandler(IEnumerable<DelegatingHandler> handlers) => Find(handlers) is not null;

    private static MemoryContractHeadersHandler? Find(IEnumerable<DelegatingHandler> handlers)
    {
        foreach (var handler in handlers)
        {
            if (handler is MemoryContractHeadersHandler ours)
            {
                return ours;
            }
        }

        return null;
    }

    /// <summary>A client's handler is rebuilt every few minutes: warn about it once.</summary>
    private bool FirstWarning(string clientName)
    {
        lock (_warnedClients)
        {
            return _warnedClients.Add(clientName);
        }
    }
}
