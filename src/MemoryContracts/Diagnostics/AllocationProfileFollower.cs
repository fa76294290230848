using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MemoryContracts;

/// <summary>
/// Keeps the <see cref="AllocationProfiler"/> in step with the guard (DESIGN §12): on every published
/// snapshot (<see cref="IMemoryPressure.OnChange"/>) the profiler follows the overall level — sampling
/// from <see cref="PressureLevel.Elevated"/> up, off in <see cref="PressureLevel.Normal"/> (where it
/// costs nothing). In shadow mode it profiles too: observing is not acting, and the profile is what an
/// operator trying a contract in shadow wants to see. Logs each start (event 710) and stop (event 711).
/// </summary>
internal sealed class AllocationProfileFollower : IHostedService, IDisposable
{
    private const double BytesPerMegabyte = 1024 * 1024;

    private readonly IMemoryPressure _pressure;
    private readonly AllocationProfiler _profiler;
    private readonly ILogger _logger;
    private IDisposable? _subscription;

    public AllocationProfileFollower(IMemoryPressure pressure, AllocationProfiler profiler, ILogger<AllocationProfileFollower> logger)
    {
        ArgumentNullException.ThrowIfNull(pressure);
        ArgumentNullException.ThrowIfNull(profiler);
        ArgumentNullException.ThrowIfNull(logger);
        _pressure = pressure;
        _profiler = profiler;
        _logger = logger;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription ??= _pressure.OnChange(Follow);
        Follow(_pressure.Current);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref _subscription, null)?.Dispose();
        if (_profiler.Stop())
        {
            LogStopped();
        }
    }

    /// <summary>Starts or stops the profiler for <paramref name="snapshot"/>'s overall level. Allocation-free when nothing changes.</summary>
    internal void Follow(MemoryPressureSnapshot snapshot)
    {
        var level = snapshot.Level;
        if (level >= PressureLevel.Elevated)
        {
            if (_profiler.Start())
            {
                DiagnosticsLog.AllocationProfileStarted(_logger, level);
            }
        }
        else if (_profiler.Stop())
        {
            LogStopped();
        }
    }

    private void LogStopped()
    {
        var profile = _profiler.Profile;
        var top = profile.TopAllocator();
        DiagnosticsLog.AllocationProfileStopped(_logger, profile.Samples, profile.EstimatedBytes / BytesPerMegabyte, top?.TypeName ?? "(none)", top?.Share ?? 0);
    }
}
