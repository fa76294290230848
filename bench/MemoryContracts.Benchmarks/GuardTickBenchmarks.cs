using BenchmarkDotNet.Attributes;
using MemoryContracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MemoryContracts.Benchmarks;

/// <summary>
/// The guard's tick at steady state: the default GC sampler, grading four modules (two with caches),
/// with nothing changing so no snapshot is published. Target: ≤ 5 µs and 0 B.
/// </summary>
[MemoryDiagnoser]
public class GuardTickBenchmarks
{
    private const long MB = 1024 * 1024;

    private ServiceProvider _services = null!;
    private MemoryGuard _guard = null!;
    private GcMemorySampler _sampler = null!;
    private ContractPlan _plan = null!;
    private GuardState _state = null!;
    private GuardState _spare = null!;
    private long[] _owned = null!;
    private MemorySample _sample;
    private long _timestamp;

    [GlobalSetup]
    public void Setup()
    {
        var contract = new MemoryContract
        {
            Modules =
            [
                new ModuleContract { Name = "catalog", MaxHeapBytes = 512 * MB, AllocRateBytesPerSecond = 50 * MB },
                new ModuleContract { Name = "checkout", MaxHeapBytes = 512 * MB, Core = true, MaxGcPause = TimeSpan.FromMilliseconds(50) },
                new ModuleContract { Name = "reports", MaxHeapPercent = 10, Priority = 10 },
                new ModuleContract { Name = "search", MaxHeapBytes = 256 * MB, GcTriggerRatio = 0.9 },
            ],
        };

        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddMemoryContracts(o => o.Contract = contract);
        services.AddMemoryContractCache("catalog");
        services.AddMemoryContractCache("search");
        _services = services.BuildServiceProvider();
        _guard = _services.GetRequiredService<MemoryGuard>();
        _guard.TickAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();

        _sampler = new GcMemorySampler();
        _sampler.Sample();
        _plan = new ContractPlan(contract);
        _state = new GuardState(_plan.Modules.Length);
        _spare = new GuardState(_plan.Modules.Length);
        _owned = new long[_plan.Modules.Length];
        _sample = _sampler.Sample();
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    /// <summary>The default sampler alone.</summary>
    [Benchmark]
    public long Sample() => _sampler.Sample().HeapBytes;

    /// <summary>The grading function alone (pure).</summary>
    [Benchmark]
    public PressureLevel Grade()
    {
        _timestamp += TimeSpan.TicksPerSecond / 2;
        // Two buffers alternate, as in the guard: the previous state is read, the spare written.
        var next = PressureEvaluator.Evaluate(_state, _plan, _sample, _timestamp, TimeSpan.TicksPerSecond, _owned, _spare);
        _spare = _state;
        _state = next;
        return next.Overall;
    }

    /// <summary>One tick of the guard: sample, count module caches, grade, record, decide nothing changed.</summary>
    [Benchmark]
    public bool Tick() => _guard.SampleAndGrade();
}
