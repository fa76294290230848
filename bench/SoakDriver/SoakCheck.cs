namespace SoakDriver;

/// <summary>One thing the soak asserts: its name, whether it held, and the figures.</summary>
internal sealed record SoakCheck(string Name, bool Passed, string Detail)
{
    public override string ToString() => $"{(Passed ? "PASS" : "FAIL")} {Name}: {Detail}";
}

/// <summary>What a soak run showed: every check, and the figures for bench/RESULTS.md.</summary>
internal sealed record SoakReport(IReadOnlyList<SoakCheck> Checks, IReadOnlyDictionary<string, string> Figures)
{
    public bool Passed => Checks.Count > 0 && Checks.All(c => c.Passed);
}
