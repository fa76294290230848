namespace MemoryContracts;

/// <summary>
/// Where one graded subject (the process or a module) stands on the pressure ladder: its level, how
/// many samples in a row have warranted at least each level, and how many in a row have been below
/// its level.
/// </summary>
internal readonly record struct LadderState(
    PressureLevel Level,
    int ElevatedStreak,
    int HighStreak,
    int CriticalStreak,
    int RecoveryStreak);
