using static MemoryContracts.Tests.Contracts.ContractAssert;

namespace MemoryContracts.Tests.Contracts;

/// <summary>How a contract file's bytes are read: a buffer the size of the file, grown only while the file grows.</summary>
public sealed class ContractFileReadingTests
{
    [Fact]
    public void ReadText_SmallFile_AllocatesAboutItsSizeNotTheLimit()
    {
        // Found by the fuzz tests (Fuzzing/ContractReaderFuzzTests, bytes in a file): every read allocated
        // a 1 MiB + 1 buffer on the large object heap, and a gen 2 collection came with about every one.
        var path = Path.Combine(Path.GetTempPath(), $"mc-read-{Guid.NewGuid():N}.yaml");
        File.Copy(Path.Combine(RepositoryRoot(), "memory_contract.yaml"), path);
        try
        {
            var size = new FileInfo(path).Length;
            MemoryContractReader.ReadText(path);

            var before = GC.GetAllocatedBytesForCurrentThread();
            var text = MemoryContractReader.ReadText(path);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.Contains("modules:", text, StringComparison.Ordinal);
            Assert.True(allocated < (4 * size) + 16_384, $"{allocated} bytes allocated to read a file of {size} bytes");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [LinuxFact]
    public void ReadText_FileLongerThanItsReportedLength_ReadWhole()
    {
        // A procfs file is regular and reports a length of 0: the buffer grows as the bytes come.
        var text = MemoryContractReader.ReadText("/proc/self/status");

        Assert.StartsWith("Name:", text, StringComparison.Ordinal);
        Assert.Contains("VmRSS:", text, StringComparison.Ordinal);
    }
}
