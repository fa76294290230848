using System.Globalization;

namespace SoakDriver;

/// <summary>A process's threads, open file descriptors and resident set, read from <c>/proc/PID</c>.</summary>
/// <param name="Threads"><c>Threads:</c> of <c>/proc/PID/status</c>.</param>
/// <param name="Fds">Entries of <c>/proc/PID/fd</c>.</param>
/// <param name="RssMb"><c>VmRSS:</c> of <c>/proc/PID/status</c>, in MB.</param>
internal readonly record struct ProcFacts(int Threads, int Fds, double RssMb)
{
    public static ProcFacts Read(int pid)
    {
        var threads = 0;
        var rssKb = 0L;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("Threads:", StringComparison.Ordinal))
            {
                threads = int.Parse(line.AsSpan("Threads:".Length).Trim(), CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rssKb = long.Parse(line.AsSpan("VmRSS:".Length).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
            }
        }

        return new ProcFacts(threads, Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length, rssKb / 1024.0);
    }
}
