namespace MemoryContracts;

/// <summary>
/// Which responders a change is handed to: pure functions of the contract and the levels.
/// </summary>
internal static class ResponderRouting
{
    /// <summary>
    /// The responders told of a change of the overall level from <paramref name="previous"/> to
    /// <paramref name="level"/>: those named for the new level (to act) and for the previous level (to
    /// undo what the new one does not need); on the return to Normal, every responder the contract
    /// names, so nothing stays tightened or quieted.
    /// </summary>
    public static string[] ForLevelChange(MemoryContract contract, PressureLevel previous, PressureLevel level)
    {
        var responses = contract.Responses;
        var names = level == PressureLevel.Normal
            ? responses.Elevated.Concat(responses.High).Concat(responses.Critical)
            : responses.For(level).Concat(responses.For(previous));
        return [.. names.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>
    /// The responders in force under <paramref name="old"/> at <paramref name="level"/> that
    /// <paramref name="next"/> stops running: all of them when it switches to shadow; otherwise each one
    /// it no longer names at all, or no longer names for the current level though the old one did. None
    /// at Normal or from shadow, and never one that leaves nothing in force.
    /// </summary>
    public static string[] StoppedBy(ContractPlan old, ContractPlan next, PressureLevel level)
    {
        var was = old.Contract.Responses;
        if (level == PressureLevel.Normal || old.IsShadow)
        {
            return [];
        }

        var now = next.Contract.Responses;
        var named = new HashSet<string>(now.Elevated.Concat(now.High).Concat(now.Critical), StringComparer.Ordinal);
        return [.. was.Elevated.Concat(was.High).Concat(was.Critical)
            .Distinct(StringComparer.Ordinal)
            .Where(name => !BuiltInResponders.LeavesNothingToUndo(name)
                && (next.IsShadow
                    || !named.Contains(name)
                    || (was.For(level).Contains(name, StringComparer.Ordinal) && !now.For(level).Contains(name, StringComparer.Ordinal))))];
    }
}
