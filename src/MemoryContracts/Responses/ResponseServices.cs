using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MemoryContracts;

/// <summary>Registers the built-in responders and what they act on (called by <c>AddMemoryContracts</c>).</summary>
internal static class ResponseServices
{
    public static void Add(IServiceCollection services)
    {
        services.TryAddSingleton<TrimmableRegistry>();
        services.TryAddSingleton<IGcControl, RuntimeGcControl>();
        services.TryAddSingleton<GcTightening>();
        services.TryAddSingleton<QuietLogsSwitch>();
        services.TryAddSingleton<INativeMemoryTrimmer, NativeMemoryTrimmer>();
        services.AddSingleton<IPostConfigureOptions<LoggerFilterOptions>>(sp => sp.GetRequiredService<QuietLogsSwitch>());
        services.AddSingleton<IOptionsChangeTokenSource<LoggerFilterOptions>>(sp => sp.GetRequiredService<QuietLogsSwitch>());

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMemoryPressureResponder, AlertResponder>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMemoryPressureResponder, TrimCachesResponder>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMemoryPressureResponder, TightenGcResponder>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMemoryPressureResponder, CompactGcResponder>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMemoryPressureResponder, ShedRequestsResponder>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMemoryPressureResponder, SnapshotResponder>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMemoryPressureResponder, QuietLogsResponder>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMemoryPressureResponder, TrimNativeResponder>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMemoryPressureResponder, DrainConnectionsResponder>());
    }
}
