namespace MemoryContracts;

/// <summary>
/// Parses cgroup memory files from raw bytes, without strings or allocation: a single value
/// (<c>memory.current</c>, <c>memory.max</c>, <c>memory.usage_in_bytes</c>, <c>memory.limit_in_bytes</c>)
/// or one key of <c>memory.stat</c> (<c>key value</c> lines).
/// </summary>
internal static class CgroupValueParser
{
    /// <summary>
    /// Limits at or above 2^62 bytes (4 EiB) mean "no limit": cgroup v1 reports an unset limit as
    /// <c>LONG_MAX</c> rounded down to the page size (9223372036854771712 with 4 KiB pages).
    /// </summary>
    public const long UnlimitedThreshold = 1L << 62;

    /// <summary>Parses a file holding one value: digits or <c>max</c>, then optional whitespace.</summary>
    /// <param name="content">The file's bytes.</param>
    /// <param name="value">The number; 0 unless <see cref="CgroupValueStatus.Number"/>.</param>
    /// <returns>What the content is.</returns>
    public static CgroupValueStatus ParseValue(ReadOnlySpan<byte> content, out long value)
    {
        var trimmed = content.TrimEnd(" \t\r\n\0"u8);
        return ParseToken(trimmed, out value);
    }

    /// <summary>Finds <paramref name="key"/> at the start of a <c>memory.stat</c> line and parses its value.</summary>
    /// <param name="stat">The bytes of <c>memory.stat</c>.</param>
    /// <param name="key">The key, e.g. <c>total_inactive_file</c>; matched whole (not as a prefix of a longer key).</param>
    /// <param name="value">The number; 0 unless <see cref="CgroupValueStatus.Number"/>.</param>
    /// <returns>What the key's value is, or <see cref="CgroupValueStatus.Missing"/> when no line has the key.</returns>
    public static CgroupValueStatus FindStatValue(ReadOnlySpan<byte> stat, ReadOnlySpan<byte> key, out long value)
    {
        var rest = stat;
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? default : rest[(end + 1)..];

            if (line.Length > key.Length && line.StartsWith(key) && line[key.Length] == (byte)' ')
            {
                return ParseToken(line[(key.Length + 1)..].Trim(" \t\r\0"u8), out value);
            }
        }

        value = 0;
        return CgroupValueStatus.Missing;
    }

    private static CgroupValueStatus ParseToken(ReadOnlySpan<byte> token, out long value)
    {
        value = 0;
        if (token.SequenceEqual("max"u8))
        {
            return CgroupValueStatus.Unlimited;
        }

        if (token.IsEmpty || token.Length > 19)
        {
            // 19 digits hold every long; anything longer is not a byte count a kernel writes.
            return CgroupValueStatus.Garbled;
        }

        ulong number = 0;
        foreach (var b in token)
        {
            var digit = (uint)(b - (byte)'0');
            if (digit > 9)
            {
                return CgroupValueStatus.Garbled;
            }

            number = (number * 10) + digit;
        }

        if (number > long.MaxValue)
        {
            return CgroupValueStatus.Garbled;
        }

        value = (long)number;
        return value >= UnlimitedThreshold ? CgroupValueStatus.Unlimited : CgroupValueStatus.Number;
    }
}
