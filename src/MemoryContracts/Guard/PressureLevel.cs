namespace MemoryContracts;

/// <summary>
/// The graded memory pressure of the process or of one module.
/// </summary>
public enum PressureLevel
{
    /// <summary>Within budget.</summary>
    Normal = 0,

    /// <summary>Past the elevated threshold: caches are trimmed.</summary>
    Elevated = 1,

    /// <summary>Past the high threshold: the GC is tightened and module caches refuse writes.</summary>
    High = 2,

    /// <summary>Past the critical threshold: non-core requests are shed.</summary>
    Critical = 3,
}
