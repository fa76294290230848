namespace MemoryContracts;

/// <summary>HTTP's optional whitespace (<c>OWS = *( SP / HTAB )</c>) around list elements and parameters.</summary>
internal static class HttpWhitespace
{
    /// <summary>Space and horizontal tab.</summary>
    public const string Characters = " \t";
}
