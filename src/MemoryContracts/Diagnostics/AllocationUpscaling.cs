namespace MemoryContracts;

/// <summary>
/// Turns the runtime's randomized allocation samples (.NET 10 <c>AllocationSampled</c> events) into
/// estimated allocated bytes, by the runtime's documented weighted-sample estimator: each allocated
/// byte is a Bernoulli trial with success probability p = 1/102,400, an object is sampled when one
/// of its bytes succeeds, so an object of <c>size</c> bytes is sampled with probability
/// 1 − q^size (q = 1 − p) and each sample stands for size / (1 − q^size) bytes. Unbiased; a small
/// object's sample stands for about 100 KB, an object much larger than 100 KB for its own size.
/// </summary>
internal static class AllocationUpscaling
{
    /// <summary>The probability that one allocated byte is sampled: 1/102,400.</summary>
    public const double SamplingProbability = 1.0 / 102_400;

    private static readonly double LogQ = Math.Log(1 - SamplingProbability);

    /// <summary>The bytes one sample of an object of <paramref name="objectSize"/> bytes stands for.</summary>
    /// <param name="objectSize">The sampled object's size (<c>ObjectSize</c> in the event).</param>
    /// <returns><c>size / (1 − q^size)</c>; 0 for a size that is not positive.</returns>
    public static double EstimateBytes(long objectSize)
    {
        if (objectSize <= 0)
        {
            return 0;
        }

        // 1 − q^size = 1 − e^(size·ln q): even for a 1-byte object the difference keeps about 11
        // significant digits in a double, far finer than the sampling error.
        var sampledProbability = 1 - Math.Exp(objectSize * LogQ);
        return objectSize / sampledProbability;
    }
}
