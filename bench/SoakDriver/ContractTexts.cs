namespace SoakDriver;

/// <summary>
/// The contracts the soak writes. Good ones (<c>version: soak-N</c>) name every chaos target: the
/// throwing responder <c>soak_throws</c> at every level, <c>snapshot</c> into the soak's snapshot
/// directory once a second at most, shedding at Critical. The heap budgets add up to 64 MB, so a
/// leak cycle's 80 MB takes the guard to Critical. Bad ones (<c>version: bad-N</c>, so a bad
/// one put in force would show on every response) are each refused for a different reason.
/// </summary>
internal static class ContractTexts
{
    /// <summary>The kinds of bad contract, in the order the churn uses them.</summary>
    public static readonly string[] BadKinds = ["syntax", "semantic", "unknown_key", "unknown_responder", "empty", "deleted"];

    /// <summary>Where <see cref="Good"/> can be cut so that the first part is not a contract: inside the flow sequence of the core module's routes.</summary>
    public const string HalfWrittenCut = "routes: [\"/ord";

    public static string Good(int n, string snapshotDirectory) => $"""
        # bench/SoakDriver: good contract {n}
        version: soak-{n}
        sampling:
          interval_ms: 100
        modules:
          - name: catalog
            max_heap_mb: 16
            priority: 20
            routes: ["/catalog", "/cache"]
          - name: reports
            max_heap_mb: 32
            priority: 10
            routes: ["/leak"]
          - name: imaging
            priority: 10
            routes: ["/native"]
          - name: files
            priority: 30
            routes: ["/files"]
          - name: checkout
            max_heap_mb: 16
            core: true
            routes: ["/orders"]
        escalation:
          consecutive: {"{"} elevated: 1, high: 1, critical: 2 {"}"}
          recovery_samples: {8 + (n % 5)}
        responses:
          elevated: [alert, soak_throws, snapshot]
          high:     [alert, trim_caches, tighten_gc, trim_native, soak_throws, snapshot]
          critical: [alert, trim_caches, tighten_gc, shed_requests, compact_gc, trim_native, soak_throws, snapshot]
          shed:
            retry_after_seconds: 1
          compact_gc: {"{"} min_interval_seconds: 5 {"}"}
          snapshot:
            directory: "{snapshotDirectory}"
            min_interval_seconds: 1

        """;

    /// <summary>A bad contract of <paramref name="kind"/>; null for <c>deleted</c> (the file is removed).</summary>
    public static string? Bad(string kind, int n, string snapshotDirectory)
    {
        var good = Good(n, snapshotDirectory).Replace($"version: soak-{n}", $"version: bad-{n}", StringComparison.Ordinal);
        return kind switch
        {
            "syntax" => good[..(good.IndexOf(HalfWrittenCut, StringComparison.Ordinal) + HalfWrittenCut.Length)],
            "semantic" => good.Replace("max_heap_mb: 32", "max_heap_mb: -32", StringComparison.Ordinal),
            "unknown_key" => good.Replace("sampling:", "samplng:", StringComparison.Ordinal),
            "unknown_responder" => good.Replace("elevated: [alert,", "elevated: [alert, page_oncall,", StringComparison.Ordinal),
            "empty" => "",
            "deleted" => null,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown bad contract kind"),
        };
    }
}
