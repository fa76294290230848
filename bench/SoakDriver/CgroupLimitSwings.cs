namespace SoakDriver;

/// <summary>
/// Moves the service's cgroup memory limit every <see cref="SoakSettings.CgroupSwingPeriod"/>: lowered
/// to <see cref="LowHeadroomMb"/> above the service's resident set at the end of the warm-up (a leak
/// cycle then brings the working set near the limit) and raised back to <see cref="HighLimitMb"/>.
/// </summary>
internal sealed class CgroupLimitSwings(SoakCgroup cgroup, double baselineRssMb)
{
    public const long HighLimitMb = 1024;
    public const long LowHeadroomMb = 200;

    public int Lowered { get; private set; }

    public int Raised { get; private set; }

    public long LowLimitMb => (long)baselineRssMb + LowHeadroomMb;

    public async Task RunAsync(CancellationToken stop)
    {
        try
        {
            for (var low = true; !stop.IsCancellationRequested; low = !low)
            {
                cgroup.SetLimit((low ? LowLimitMb : HighLimitMb) * 1024 * 1024);
                if (low)
                {
                    Lowered++;
                }
                else
                {
                    Raised++;
                }

                await Task.Delay(SoakSettings.CgroupSwingPeriod, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        finally
        {
            cgroup.SetLimit(HighLimitMb * 1024 * 1024);
        }
    }
}
