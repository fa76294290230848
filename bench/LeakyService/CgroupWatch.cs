using System.Globalization;

namespace LeakyService;

/// <summary>
/// Follows a cgroup v1 memory cgroup from outside it, every 100 ms: usage (<c>memory.usage_in_bytes</c>)
/// and working set (usage − <c>total_inactive_file</c>), the way the kubelet computes it; keeps the peaks.
/// </summary>
internal sealed class CgroupWatch
{
    private const long MB = 1024 * 1024;
    private readonly string _directory;
    private long _usage;
    private long _workingSet;
    private long _peakWorkingSet;

    public CgroupWatch(string directory) => _directory = directory;

    public long UsageMb => Interlocked.Read(ref _usage) / MB;

    public long WorkingSetMb => Interlocked.Read(ref _workingSet) / MB;

    public long PeakWorkingSetMb => Interlocked.Read(ref _peakWorkingSet) / MB;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Read();
            await Task.Delay(100, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public void Read()
    {
        try
        {
            var usage = long.Parse(File.ReadAllText(Path.Join(_directory, "memory.usage_in_bytes")).Trim(), CultureInfo.InvariantCulture);
            long inactiveFile = 0;
            foreach (var line in File.ReadLines(Path.Join(_directory, "memory.stat")))
            {
                if (line.StartsWith("total_inactive_file ", StringComparison.Ordinal))
                {
                    inactiveFile = long.Parse(line.AsSpan("total_inactive_file ".Length), CultureInfo.InvariantCulture);
                    break;
                }
            }

            var workingSet = Math.Max(0, usage - inactiveFile);
            Interlocked.Exchange(ref _usage, usage);
            Interlocked.Exchange(ref _workingSet, workingSet);
            if (workingSet > Interlocked.Read(ref _peakWorkingSet))
            {
                Interlocked.Exchange(ref _peakWorkingSet, workingSet);
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
        {
            // The cgroup is gone or unreadable: keep the last figures.
        }
    }
}
