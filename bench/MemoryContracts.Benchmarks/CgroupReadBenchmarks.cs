using BenchmarkDotNet.Attributes;
using MemoryContracts;

namespace MemoryContracts.Benchmarks;

/// <summary>
/// One read of this process's real memory cgroup (whatever <c>/proc/self/cgroup</c> names): usage,
/// <c>memory.stat</c> and the limit files, each a <c>pread</c> on a handle kept open. Next to it, the
/// default GC sampler plus that read: what a sample costs once the working set is graded.
/// Target: ≤ 20 µs per sample including the cgroup reads, 0 B. Min and median are shown because on a
/// shared machine a syscall's mean is mostly the wait for a CPU.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
public class CgroupReadBenchmarks
{
    private CgroupMemoryReader _reader = null!;
    private GcMemorySampler _sampler = null!;

    [GlobalSetup]
    public void Setup()
    {
        _reader = new CgroupMemoryReader(TimeProvider.System);
        _reader.Read();
        if (_reader.IsUnavailable)
        {
            throw new InvalidOperationException($"No memory cgroup to benchmark: {_reader.Problem}");
        }

        _sampler = new GcMemorySampler();
        _sampler.Sample();
    }

    [GlobalCleanup]
    public void Cleanup() => _reader.Dispose();

    /// <summary>The cgroup reader alone.</summary>
    [Benchmark]
    public long? CgroupRead() => _reader.Read().WorkingSetBytes;

    /// <summary>The GC sampler and the cgroup reader: a whole sample with the working set.</summary>
    [Benchmark]
    public long SampleWithCgroup()
    {
        var sample = _sampler.Sample();
        return sample.HeapBytes + (_reader.Read().WorkingSetBytes ?? 0);
    }
}
