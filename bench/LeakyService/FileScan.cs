using System.Diagnostics;

namespace LeakyService;

/// <summary>
/// Writes a file of the given size and reads it back, 1 MB at a time, then deletes it: everything
/// it touches goes through the page cache, which the kernel charges to the service's cgroup. With
/// <c>sync</c> writes the file is flushed to disk (<c>fsync</c>) every 16 MB, as a careful writer
/// does, so at most 16 MB is ever dirty and the rest is clean cache the kernel can drop at any time;
/// with <c>buffered</c> writes the file is written as fast as the page cache takes it, and the
/// dirty pages wait for writeback. The directory is the temp directory (<c>TMPDIR</c>); on tmpfs the
/// pages would be shared memory the kernel cannot drop, so it refuses to run there.
/// </summary>
internal static class FileScan
{
    private const int Chunk = 1024 * 1024;
    private const int ChunksPerSync = 16;

    /// <summary>What <c>POST /files/scan</c> answers.</summary>
    /// <param name="WrittenMb">MB written.</param>
    /// <param name="ReadMb">MB read back.</param>
    /// <param name="Seconds">How long the write and the read took.</param>
    internal sealed record Result(long WrittenMb, long ReadMb, double Seconds);

    public static async Task<Result> RunAsync(int megabytes, bool syncWrites, CancellationToken cancellationToken)
    {
        var directory = Path.GetTempPath();
        if (new DriveInfo(directory).DriveFormat == "tmpfs")
        {
            throw new InvalidOperationException($"{directory} is tmpfs: its pages are not page cache the kernel can drop; set TMPDIR to a directory on disk");
        }

        var path = Path.Join(directory, $"leaky-scan-{Guid.NewGuid():N}.bin");
        var buffer = new byte[Chunk];
        buffer.AsSpan().Fill(0x3C);
        var started = Stopwatch.GetTimestamp();
        long read = 0;
        try
        {
            await using (var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.None))
            {
                for (var i = 1; i <= megabytes; i++)
                {
                    await output.WriteAsync(buffer, cancellationToken);
                    if (syncWrites && i % ChunksPerSync == 0)
                    {
                        output.Flush(flushToDisk: true);
                    }
                }

                output.Flush(flushToDisk: syncWrites);
            }

            await using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None, bufferSize: 0, FileOptions.SequentialScan);
            int count;
            while ((count = await input.ReadAsync(buffer, cancellationToken)) > 0)
            {
                read += count;
            }
        }
        finally
        {
            File.Delete(path);
        }

        return new Result(megabytes, read / Chunk, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }
}
