namespace MemoryContracts;

/// <summary>
/// Decides which eligible requests to shed for a fraction in (0, 1) by error diffusion: each request
/// adds the fraction to a shared credit and is shed when the credit reaches one, which is then spent.
/// Over any run of N requests at fraction f, exactly ⌊N·f⌋ or ⌈N·f⌉ are shed. Lock- and allocation-free.
/// </summary>
internal sealed class ShedCredit
{
    private const long One = 1L << 32;

    private long _credit;

    public bool ShouldShed(double fraction)
    {
        if (fraction >= 1)
        {
            return true;
        }

        if (!(fraction > 0))
        {
            return false;
        }

        var add = (long)(fraction * One);
        while (true)
        {
            var current = Volatile.Read(ref _credit);
            var next = current + add;
            var shed = next >= One;
            if (shed)
            {
                next -= One;
            }

            if (Interlocked.CompareExchange(ref _credit, next, current) == current)
            {
                return shed;
            }
        }
    }
}
