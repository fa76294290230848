namespace MemoryContracts;

/// <summary>The outcome of reading one <c>X-Memory-*</c> header.</summary>
internal enum HeaderParseResult
{
    /// <summary>The header was not sent.</summary>
    Absent = 0,

    /// <summary>The header was sent once with a well-formed value.</summary>
    Valid = 1,

    /// <summary>The header was sent with a bad value or more than once: ignored and counted.</summary>
    Malformed = 2,
}
