using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MemoryContracts;

/// <summary>Registers the request tally, the CPU clock and the load window (called by <c>AddMemoryContracts</c>).</summary>
internal static class LoadReportingServices
{
    public static void Add(IServiceCollection services)
    {
        services.TryAddSingleton<RequestTally>();
        services.TryAddSingleton<IProcessCpuClock, ProcessCpuClock>();
        services.TryAddSingleton<LoadWindow>();
    }
}
