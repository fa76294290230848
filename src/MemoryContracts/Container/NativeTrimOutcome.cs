namespace MemoryContracts;

/// <summary>What one <c>malloc_trim(0)</c> call did.</summary>
internal enum NativeTrimOutcome
{
    /// <summary>Memory was returned to the operating system.</summary>
    Released,

    /// <summary>The call ran; there was nothing to return.</summary>
    NothingReleased,

    /// <summary>The platform's C library has no <c>malloc_trim</c> (musl, Windows, macOS).</summary>
    Unsupported,
}
