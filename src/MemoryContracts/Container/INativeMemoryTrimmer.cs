namespace MemoryContracts;

/// <summary>Returns freed native heap memory to the operating system; replaceable in tests.</summary>
internal interface INativeMemoryTrimmer
{
    /// <summary>Gets why trimming is not possible here; null until a call found it unsupported.</summary>
    string? UnsupportedReason { get; }

    /// <summary>Trims the native heap once; never throws.</summary>
    /// <returns>What the call did.</returns>
    NativeTrimOutcome Trim();
}
