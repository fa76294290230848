using BenchmarkDotNet.Attributes;
using MemoryContracts;

namespace MemoryContracts.Benchmarks;

/// <summary>
/// The cost of the allocation profile while the process is pressured: one operation allocates
/// 1,000 small objects (64-byte arrays) and 10 of 8 KB, each stored so it escapes, with the
/// runtime's AllocationSampled events off (Normal) or on and aggregated by the in-process listener
/// (Elevated and up). Each sample costs the allocating thread a slow-path allocation and an event,
/// and the listener's dispatch thread the payload and a dictionary update: about one sample per
/// 100 KB allocated.
/// </summary>
[MemoryDiagnoser]
public class AllocationSamplingBenchmarks
{
    private const int SmallObjects = 1000;
    private const int LargeObjects = 10;

    private readonly object[] _sink = new object[SmallObjects + LargeObjects];
    private AllocationProfiler _profiler = null!;

    /// <summary>Gets or sets a value indicating whether the allocation profile runs.</summary>
    [Params(false, true)]
    public bool Sampling { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _profiler = new AllocationProfiler(TimeProvider.System);
        if (Sampling)
        {
            _profiler.Start();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _profiler.Dispose();
        Console.WriteLine($"// Sampling={Sampling}: {_profiler.Profile.Samples} samples, about {_profiler.Profile.EstimatedBytes / (1024 * 1024)} MB estimated");
    }

    [Benchmark]
    public object Allocate()
    {
        var sink = _sink;
        for (var i = 0; i < SmallObjects; i++)
        {
            sink[i] = new byte[40];
        }

        for (var i = 0; i < LargeObjects; i++)
        {
            sink[SmallObjects + i] = new byte[8192];
        }

        return sink;
    }
}
