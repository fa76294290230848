using Microsoft.Extensions.DependencyInjection;

namespace MemoryContracts;

/// <summary>Registers the middleware's services (called by <c>AddMemoryContracts</c>).</summary>
internal static class AspNetCoreServices
{
    /// <summary>
    /// The middleware is built by <c>UseMemoryContracts</c> from the shared services (monitor, contract
    /// source, inbound propagation, metrics) and keeps its per-endpoint state itself; the health checks
    /// register theirs in <c>AddHealthChecks().AddMemoryContracts()</c>. Nothing else is needed here.
    /// </summary>
    public static void Add(IServiceCollection services) => ArgumentNullException.ThrowIfNull(services);
}
