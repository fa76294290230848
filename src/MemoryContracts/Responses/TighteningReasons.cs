namespace MemoryContracts;

/// <summary>Why the GC is tightened.</summary>
[Flags]
internal enum TighteningReasons
{
    None = 0,

    /// <summary>The <c>tighten_gc</c> response of the current level.</summary>
    Level = 1,

    /// <summary>A heap ratio passed a module's <c>gc_trigger_ratio</c>.</summary>
    Trigger = 2,

    All = Level | Trigger,
}
