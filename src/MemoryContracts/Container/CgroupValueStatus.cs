namespace MemoryContracts;

/// <summary>What a cgroup value read from bytes turned out to be.</summary>
internal enum CgroupValueStatus
{
    /// <summary>A number of bytes.</summary>
    Number,

    /// <summary>No limit: <c>max</c> (v2), or a value so large it only means "unlimited" (v1 writes 9223372036854771712 for -1).</summary>
    Unlimited,

    /// <summary>The key was not in the file.</summary>
    Missing,

    /// <summary>Not a number: the file holds something else.</summary>
    Garbled,
}
