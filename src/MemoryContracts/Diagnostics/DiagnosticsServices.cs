using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MemoryContracts;

/// <summary>
/// Registers leak detection, the allocation profile and the <c>dump</c> responder (DESIGN §12; called
/// by <c>AddMemoryContracts</c>).
/// </summary>
internal static class DiagnosticsServices
{
    public static void Add(IServiceCollection services)
    {
        services.TryAddSingleton<ILeakSampler, RuntimeLeakSampler>();
        services.TryAddSingleton<LeakWatch>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<LeakWatch>());

        services.TryAddSingleton(sp => new AllocationProfiler(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<AllocationProfileFollower>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<AllocationProfileFollower>());

        services.TryAddSingleton<DiagnosticsState>();

        services.TryAddSingleton<IDumpWriter>(_ => new DiagnosticsClientDumpWriter());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMemoryPressureResponder, DumpResponder>(sp => new DumpResponder(
            sp.GetRequiredService<IDumpWriter>(),
            static contract => contract.Responses.Dump,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<DumpResponder>>())));
    }
}
